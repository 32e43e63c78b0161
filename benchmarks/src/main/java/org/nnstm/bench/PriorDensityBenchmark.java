package org.nnstm.bench;

import org.nnstm.prior.LinearNetworkPrior;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;

/**
 * The exact prior density of a deep linear network ({@link LinearNetworkPrior#logDensity}), widths
 * 784, 784, 10 (L = 2, Bessel K) and 784, 784, 784, 10 (L = 3, Meijer-G contour integral), sigma^2 = 1,
 * ||x|| = 28 (so s2 = 1 and E||h||^2 = 10): the log density at 64 radii spread over [0.5, 8], the bulk
 * and both tails. The rate is the secondary metric {@code elements}: density evaluations per second.
 */
public class PriorDensityBenchmark extends BenchmarkDefaults {
  @Param({"2", "3"})
  int layers;

  static final int RADII = 64;
  LinearNetworkPrior prior;
  double[] radii;

  @Setup
  public void setup() {
    int[] widths = new int[layers + 1];
    java.util.Arrays.fill(widths, 784);
    widths[layers] = 10;
    prior = new LinearNetworkPrior(widths, new double[] {1.0}, 28.0);
    radii = new double[RADII];
    for (int i = 0; i < RADII; i++) {
      radii[i] = 0.5 + 7.5 * i / (RADII - 1);
      if (!Double.isFinite(prior.logDensity(radii[i]))) {
        throw new IllegalStateException("log density not finite at r = " + radii[i] + " for " + prior);
      }
    }
  }

  @Benchmark
  public double logDensity(Rates.Elements rate) {
    double sum = 0;
    for (double r : radii) {
      sum += prior.logDensity(r);
    }
    rate.elements += RADII;
    return sum;
  }
}
