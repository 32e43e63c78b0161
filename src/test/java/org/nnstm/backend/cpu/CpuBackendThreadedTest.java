package org.nnstm.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.nnstm.nn.Ensemble;
import org.nnstm.nn.EnsembleTrainer;
import org.nnstm.nn.ModelInit;
import org.nnstm.nn.NetworkSpec;
import org.nnstm.tensor.Backend;
import org.nnstm.tensor.BackendContractTest;
import org.nnstm.tensor.Tensor;

/**
 * The contract suite on the CPU backend with three threads (more threads than this machine may have cores, an
 * odd count), plus bit-identity of training across thread counts and ensemble sizes.
 */
class CpuBackendThreadedTest extends BackendContractTest {
  @Override
  protected Backend createBackend() {
    return new CpuBackend(3);
  }

  @Test
  void panelsDependOnlyOnTheColumnCount() {
    assertEquals(2, CpuBackend.gemmPanels(784));
    assertEquals(4, CpuBackend.gemmPanels(1600));
    assertEquals(1, CpuBackend.gemmPanels(400));
    assertEquals(1, CpuBackend.gemmPanels(10));
    assertEquals(8, CpuBackend.gemmPanels(4096));
    for (int n = 1; n <= 5000; n++) {
      int p = CpuBackend.gemmPanels(n);
      int w = CpuBackend.gemmPanelWidth(n);
      assertTrue((long) (p - 1) * w < n && (long) p * w >= n, "n " + n + ": " + p + " panels of " + w);
    }
  }

  @Test
  void nameSaysThreadsAndKernels() {
    assertTrue(be.name().matches("cpu \\(OpenBLAS [0-9.]+ \\S+ kernels, 3 threads\\)"), be.name());
  }

  /** Parameters after a few SGD steps of the given models (sigma_w^2 values), trained together as one ensemble. */
  private static float[][] train(int threads, double[] varW, NetworkSpec spec, float[] images, int[] labels) {
    List<ModelInit> inits = ModelInit.grid(varW, 0.05, 7, 1);
    try (Backend b = new CpuBackend(threads); Ensemble net = new Ensemble(b, spec, inits);
         EnsembleTrainer t = new EnsembleTrainer(net, EnsembleTrainer.Config.reference())) {
      for (int s = 0; s < 3; s++) {
        t.step(images, labels, 64);
      }
      List<float[]> out = new ArrayList<>();
      for (int k = 0; k < varW.length; k++) {
        for (int l = 0; l < spec.depth(); l++) {
          out.add(net.weights(k, l));
          out.add(net.biases(k, l));
        }
      }
      return out.toArray(new float[0][]);
    }
  }

  @Test
  void trainingIsBitIdenticalForEveryThreadCountAndEnsembleSize() {
    NetworkSpec spec = NetworkSpec.tanh(new int[] {784, 784, 784, 400, 10});
    SplittableRandom rng = new SplittableRandom(5);
    float[] images = new float[64 * 784];
    for (int i = 0; i < images.length; i++) {
      images[i] = (float) rng.nextDouble();
    }
    int[] labels = new int[64];
    for (int i = 0; i < labels.length; i++) {
      labels[i] = rng.nextInt(10);
    }
    double[] pair = {1.5, 2.5};
    float[][] one = train(1, pair, spec, images, labels);
    for (int threads : new int[] {2, 3}) {
      float[][] got = train(threads, pair, spec, images, labels);
      for (int i = 0; i < one.length; i++) {
        assertArrayEquals(one[i], got[i], threads + " threads, parameter block " + i);
      }
    }
    // the second model alone (K = 1) equals its copy trained beside the first (K = 2)
    float[][] alone = train(2, new double[] {2.5}, spec, images, labels);
    for (int i = 0; i < alone.length; i++) {
      assertArrayEquals(alone[i], one[alone.length + i], "K = 1 vs K = 2, parameter block " + i);
    }
  }

  @Test
  void concurrentBackendsAgree() throws Exception {
    // two backends used at once from two threads (OpenBLAS called concurrently) give the serial results
    SplittableRandom rng = new SplittableRandom(9);
    float[] a = new float[64 * 784];
    float[] w = new float[784 * 784];
    for (int i = 0; i < a.length; i++) {
      a[i] = (float) rng.nextGaussian();
    }
    for (int i = 0; i < w.length; i++) {
      w[i] = (float) rng.nextGaussian();
    }
    float[] want;
    try (Backend b = new CpuBackend(1); Tensor ta = b.upload(a, 64, 784); Tensor tw = b.upload(w, 784, 784);
         Tensor tc = b.zeros(64, 784)) {
      b.gemm(false, true, 64, 784, 784, 1f, ta, 0, tw, 0, 0f, tc, 0, 1);
      want = b.download(tc);
    }
    float[][] got = new float[2][];
    Thread[] th = new Thread[2];
    for (int t = 0; t < 2; t++) {
      int id = t;
      th[t] = new Thread(() -> {
        try (Backend b = new CpuBackend(2); Tensor ta = b.upload(a, 64, 784); Tensor tw = b.upload(w, 784, 784);
             Tensor tc = b.zeros(64, 784)) {
          for (int r = 0; r < 20; r++) {
            b.gemm(false, true, 64, 784, 784, 1f, ta, 0, tw, 0, 0f, tc, 0, 1);
          }
          got[id] = b.download(tc);
        }
      });
      th[t].start();
    }
    for (Thread t : th) {
      t.join();
    }
    assertArrayEquals(want, got[0]);
    assertArrayEquals(want, got[1]);
  }
}
