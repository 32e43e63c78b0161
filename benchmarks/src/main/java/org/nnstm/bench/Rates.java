package org.nnstm.bench;

import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The rates the benchmarks of this package report besides JMH's ops/s: each benchmark method adds the
 * work of one call to a counter, and JMH (throughput mode) divides the counter by the iteration's
 * time, so the JSON holds a secondary metric {@code gflop} (GFLOP/s) or {@code elements} (elements/s)
 * with its own 99.9% error, which tools/bench-record stores and tools/bench-compare compares.
 */
public final class Rates {
  private Rates() {}

  /** GEMM work: 2 m n k floating-point operations per (m x k) times (k x n) product, in units of 1e9. */
  @State(Scope.Thread)
  @AuxCounters(AuxCounters.Type.OPERATIONS)
  public static class Flops {
    /** GFLOP done in this iteration (reported per second: GFLOP/s). */
    public double gflop;

    @Setup(Level.Iteration)
    public void reset() {
      gflop = 0;
    }
  }

  /** Elementwise work: tensor elements (or kernel pairs, or density evaluations) processed. */
  @State(Scope.Thread)
  @AuxCounters(AuxCounters.Type.OPERATIONS)
  public static class Elements {
    /** Elements processed in this iteration (reported per second: elements/s). */
    public double elements;

    @Setup(Level.Iteration)
    public void reset() {
      elements = 0;
    }
  }

  /** 2 m n k batch / 1e9: the GFLOP of {@code batch} products of shape m x k times k x n. */
  public static double gemmGflop(int m, int n, int k, int batch) {
    return 2.0 * m * n * k * batch * 1e-9;
  }
}
