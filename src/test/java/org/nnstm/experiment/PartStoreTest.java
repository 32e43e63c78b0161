package org.nnstm.experiment;

import org.nnstm.run.Listener;
import org.nnstm.data.LabelledImages;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nnstm.nn.EnsembleTrainer;
import org.nnstm.tensor.Backend;
import org.nnstm.tensor.Backends;

/** Finished passes survive an interrupted run; the resumed run gives the uninterrupted run's numbers. */
class PartStoreTest {
  @TempDir
  Path dir;

  @Test
  void roundTripShapeCheckAndSettingsGuard() throws IOException {
    PartStore s = PartStore.open(dir.resolve("p"), "a=1\n");
    float[][] m = {{1f, 2f, 3f}, {4f, 5f, -0f}};
    s.save("prior-0-2", m);
    assertArrayEquals(m, s.load("prior-0-2", 2, 3));
    assertNull(s.load("prior-0-2", 3, 2), "another shape is not this part");
    assertNull(s.load("prior-2-4", 2, 3));
    Files.write(dir.resolve("p/prior-0-2.f32"), new byte[] {0, 0, 0, 2, 0, 0, 0, 3, 1}); // truncated
    assertNull(s.load("prior-0-2", 2, 3), "a truncated part is recomputed");
    assertEquals(1, s.parts());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> PartStore.open(dir.resolve("p"), "a=2\n"));
    assertTrue(e.getMessage().contains("other settings"), e.getMessage());
    s.delete();
    assertFalse(Files.exists(dir.resolve("p")));
  }

  @Test
  void interruptedRunResumesToTheSameNumbers() throws IOException {
    int[] widths = {12, 6, 3};
    SplittableRandom rng = new SplittableRandom(5);
    float[] x = new float[12];
    float[] images = new float[40 * 12];
    int[] labels = new int[40];
    for (int i = 0; i < images.length; i++) {
      images[i] = (float) rng.nextDouble();
    }
    for (int i = 0; i < 12; i++) {
      x[i] = images[i];
    }
    for (int i = 0; i < 40; i++) {
      labels[i] = rng.nextInt(3);
    }
    LabelledImages data = new LabelledImages(images, labels);
    PriorComparison.Plan plan = new PriorComparison.Plan(widths, new double[] {1.1}, x, 300, 3, 70, 120, 1,
        new EnsembleTrainer.Config(0.05f, 0f, 8), 0.5, 4, 0.2);
    try (Backend backend = Backends.cpu(1)) {
      PriorComparison.Result whole = PriorComparison.run(backend, plan, data, Listener.none());
      PartStore store = PartStore.open(dir.resolve("parts"), "plan\n");
      List<String> saved = new ArrayList<>();
      PriorComparison.Store dying = new PriorComparison.Store() {
        @Override
        public float[][] load(String key, int rows, int cols) {
          return store.load(key, rows, cols);
        }

        @Override
        public void save(String key, float[][] value) {
          if (saved.size() == 7) {
            throw new IllegalStateException("killed");
          }
          store.save(key, value);
          saved.add(key);
        }
      };
      assertThrows(IllegalStateException.class, () -> PriorComparison.run(backend, plan, data, Listener.none(), dying));
      assertEquals(7, store.parts());
      List<String> recomputed = new ArrayList<>();
      PriorComparison.Result resumed = PriorComparison.run(backend, plan, data, Listener.none(),
          new PriorComparison.Store() {
            @Override
            public float[][] load(String key, int rows, int cols) {
              return store.load(key, rows, cols);
            }

            @Override
            public void save(String key, float[][] value) {
              recomputed.add(key);
              store.save(key, value);
            }
          });
      // 5 prior passes + 2 x (trained, accuracy, langevin) = 11 parts; 7 were kept
      assertEquals(4, recomputed.size(), recomputed.toString());
      assertArrayEquals(whole.prior(), resumed.prior());
      assertArrayEquals(whole.trained(), resumed.trained());
      assertArrayEquals(whole.langevin(), resumed.langevin());
      assertArrayEquals(whole.trainAccuracy(), resumed.trainAccuracy(), 1e-7);
      assertEquals(whole.radial().curves().get(2).jsDistance(), resumed.radial().curves().get(2).jsDistance());
    }
  }

  /** A non-finite pass is never stored, and one stored by an older version is recomputed, not used. */
  @Test
  void nonFinitePartsNeitherSavedNorLoaded() throws IOException {
    Path d = dir.resolve("nf");
    PartStore s = PartStore.open(d, "a=1\n");
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> s.save("langevin-0-2", new float[][] {{1f, Float.NaN}, {0f, 2f}}));
    assertTrue(e.getMessage().contains("[0][1] is NaN"), e.getMessage());
    assertFalse(Files.exists(d.resolve("langevin-0-2.f32")));
    try (java.io.DataOutputStream out = new java.io.DataOutputStream(Files.newOutputStream(d.resolve("old-0-1.f32")))) {
      out.writeInt(1);
      out.writeInt(2);
      out.writeFloat(1f);
      out.writeFloat(Float.POSITIVE_INFINITY);
    }
    assertNull(s.load("old-0-1", 1, 2));
  }
}
