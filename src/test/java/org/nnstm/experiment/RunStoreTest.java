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
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nnstm.io.RunManifest;
import org.nnstm.nn.EnsembleTrainer;
import org.nnstm.run.Parts;
import org.nnstm.run.RunStore;
import org.nnstm.tensor.Backend;
import org.nnstm.tensor.Backends;

/** The run store: finished passes survive an interrupted run; the resumed run gives the uninterrupted run's numbers. */
class RunStoreTest {
  @TempDir
  Path dir;

  @Test
  void roundTripShapeCheckAndSettingsGuard() throws IOException {
    Files.createDirectories(dir.resolve("p"));
    RunStore s = RunStore.open(dir.resolve("p"), manifest("1"));
    assertFalse(s.resumed());
    float[][] m = {{1f, 2f, 3f}, {4f, 5f, -0f}};
    s.save("prior-0-2", m);
    assertArrayEquals(m, s.load("prior-0-2", 2, 3));
    assertNull(s.load("prior-0-2", 3, 2), "another shape is not this part");
    assertNull(s.load("prior-2-4", 2, 3));
    Files.write(dir.resolve("p/.parts/prior-0-2.f32"), new byte[] {0, 0, 0, 2, 0, 0, 0, 3, 1}); // truncated
    assertNull(s.load("prior-0-2", 2, 3), "a truncated part is recomputed");
    assertEquals(1, s.parts());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> RunStore.open(dir.resolve("p"), manifest("2")));
    assertTrue(e.getMessage().contains("other settings"), e.getMessage());
    assertTrue(RunStore.open(dir.resolve("p"), manifest("1")).resumed());
    s.deleteParts();
    assertFalse(Files.exists(dir.resolve("p/.parts")));
    assertTrue(Files.exists(dir.resolve("p/" + RunManifest.FILE)), "the manifest stays");
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
      RunStore store = RunStore.unchecked(dir.resolve("parts"));
      List<String> saved = new ArrayList<>();
      Parts dying = new Parts() {
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
          new Parts() {
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
    RunStore s = RunStore.unchecked(d);
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> s.save("langevin-0-2", new float[][] {{1f, Float.NaN}, {0f, 2f}}));
    assertTrue(e.getMessage().contains("[0][1] is NaN"), e.getMessage());
    assertFalse(Files.exists(d.resolve(".parts/langevin-0-2.f32")));
    Files.createDirectories(d.resolve(".parts"));
    try (java.io.DataOutputStream out = new java.io.DataOutputStream(
        Files.newOutputStream(d.resolve(".parts/old-0-1.f32")))) {
      out.writeInt(1);
      out.writeInt(2);
      out.writeFloat(1f);
      out.writeFloat(Float.POSITIVE_INFINITY);
    }
    assertNull(s.load("old-0-1", 1, 2));
  }

  /** A claimed unit is refused to a second store on the directory until released; keys are checked. */
  @Test
  void claimsExcludeUntilReleased() throws IOException {
    try (RunStore a = RunStore.unchecked(dir.resolve("c")); RunStore b = RunStore.unchecked(dir.resolve("c"))) {
      assertTrue(a.tryClaim("depth-3").isEmpty());
      assertTrue(Files.exists(dir.resolve("c/.claims/depth-3.claim")));
      assertTrue(b.tryClaim("depth-3").orElse("").startsWith("pid " + ProcessHandle.current().pid()));
      assertTrue(b.tryClaim("depth-4").isEmpty(), "another unit is free");
      a.release("depth-3");
      assertTrue(b.tryClaim("depth-3").isEmpty());
      assertThrows(IllegalArgumentException.class, () -> a.tryClaim("../x"));
    }
    assertFalse(Files.exists(dir.resolve("c/.claims/depth-3.claim")), "close releases every claim");
  }

  static RunManifest manifest(String a) {
    return new RunManifest("test", Map.of("a", a), RunManifest.Provenance.current("cpu", 1, List.of("test")));
  }
}
