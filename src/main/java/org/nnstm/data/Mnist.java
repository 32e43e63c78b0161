package org.nnstm.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * MNIST in its four IDX files, with the classic split: training images 0..49,999 train, 50,000..59,999
 * validate, the 10,000 t10k images test. Pixels are floats in [0, 1], 784 per image, row-major.
 */
public final class Mnist {
  /** File base names; each may also be present with a {@code .gz} suffix. */
  public static final String[] FILES = {
      "train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"};
  public static final int TRAIN = 50_000;
  public static final int PIXELS = 784;

  private final LabelledImages all;
  private final LabelledImages test;

  private Mnist(LabelledImages all, LabelledImages test) {
    this.all = all;
    this.test = test;
  }

  /** Loads the four files from {@code dir}. */
  public static Mnist load(Path dir) throws IOException {
    LabelledImages train = pair(dir, FILES[0], FILES[1]);
    LabelledImages test = pair(dir, FILES[2], FILES[3]);
    if (train.size() <= TRAIN) {
      throw new IllegalArgumentException(dir + ": training set has " + train.size()
          + " images; the split needs more than " + TRAIN);
    }
    return new Mnist(train, test);
  }

  /** The file of a base name in dir: raw if present, else .gz; null when neither exists. */
  public static Path find(Path dir, String base) {
    Path raw = dir.resolve(base);
    if (Files.isRegularFile(raw)) {
      return raw;
    }
    Path gz = dir.resolve(base + ".gz");
    return Files.isRegularFile(gz) ? gz : null;
  }

  private static LabelledImages pair(Path dir, String imagesName, String labelsName) throws IOException {
    Path imagesFile = require(dir, imagesName);
    Path labelsFile = require(dir, labelsName);
    IdxReader.Images images = IdxReader.readImages(imagesFile);
    int[] labels = IdxReader.readLabels(labelsFile);
    if (images.rows() * images.cols() != PIXELS) {
      throw new IllegalArgumentException(imagesFile + ": images are " + images.rows() + "x" + images.cols()
          + ", MNIST's are 28x28");
    }
    if (images.count() != labels.length) {
      throw new IllegalArgumentException(imagesFile + " has " + images.count() + " images but " + labelsFile
          + " has " + labels.length + " labels");
    }
    for (int i = 0; i < labels.length; i++) {
      if (labels[i] > 9) {
        throw new IllegalArgumentException(labelsFile + ": label " + labels[i] + " of example " + i + " is not a digit");
      }
    }
    return new LabelledImages(images.pixels(), labels);
  }

  private static Path require(Path dir, String base) throws IOException {
    Path p = find(dir, base);
    if (p == null) {
      throw new java.nio.file.NoSuchFileException(dir.resolve(base) + " (or .gz)");
    }
    return p;
  }

  /** Training images [0, min(limit, 50000)). */
  public LabelledImages train(int limit) {
    return slice(all, 0, Math.min(limit, TRAIN));
  }

  /** Validation images 50,000..59,999. */
  public LabelledImages validation() {
    return slice(all, TRAIN, all.size());
  }

  /** The t10k test images. */
  public LabelledImages test() {
    return test;
  }

  /** Examples [from, to) of a data set. */
  public static LabelledImages slice(LabelledImages d, int from, int to) {
    if (from < 0 || to > d.size() || from >= to) {
      throw new IllegalArgumentException("slice [" + from + ", " + to + ") of " + d.size() + " examples");
    }
    int px = d.images().length / d.size();
    float[] img = java.util.Arrays.copyOfRange(d.images(), from * px, to * px);
    int[] lab = java.util.Arrays.copyOfRange(d.labels(), from, to);
    return new LabelledImages(img, lab);
  }
}
