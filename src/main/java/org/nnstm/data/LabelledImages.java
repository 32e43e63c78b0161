package org.nnstm.data;

import java.util.SplittableRandom;

/** Images n x n_0 (row-major, pixels in [0, 1]) with their classes. */
public record LabelledImages(float[] images, int[] labels) {
  public LabelledImages {
    if (labels.length == 0 || images.length % labels.length != 0) {
      throw new IllegalArgumentException("data: " + images.length + " pixels do not split into "
          + labels.length + " examples");
    }
  }

  public int size() {
    return labels.length;
  }

  /** 0..n-1, or its Fisher-Yates shuffle seeded by (seed, epoch): the order an epoch visits the examples in. */
  public static int[] order(int n, boolean shuffle, long seed, int epoch) {
    int[] order = new int[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    if (shuffle) {
      SplittableRandom rng = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + epoch);
      for (int i = n - 1; i > 0; i--) {
        int j = rng.nextInt(i + 1);
        int t = order[i];
        order[i] = order[j];
        order[j] = t;
      }
    }
    return order;
  }
}
