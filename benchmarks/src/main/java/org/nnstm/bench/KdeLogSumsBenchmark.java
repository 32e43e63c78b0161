package org.nnstm.bench;

import java.util.SplittableRandom;
import org.nnstm.prior.GaussianKde;
import org.nnstm.tensor.Backend;
import org.nnstm.tensor.Backends;
import org.nnstm.tensor.Tensor;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.TearDown;

/**
 * KDE log-sums in 1-D: n standard normal samples (seeded), m points on a grid over [-5, 5]. Two paths:
 * {@link Backend#gaussianKernelLogSums} (the backend op, every pair evaluated) on whitened float32 data,
 * and {@link GaussianKde#logpdf(double[][])} (the exact double path the {@code kde} command takes). The
 * rate is the secondary metric {@code elements}: n * m kernel pairs per call (for the exact path an
 * effective rate, since it skips pairs whose contribution is below its error bound).
 */
public class KdeLogSumsBenchmark extends BenchmarkDefaults {
  @Param({"10000"})
  int samples;
  @Param({"1000"})
  int points;

  Backend be;
  Tensor sampleTensor;
  Tensor logWeights;
  Tensor pointTensor;
  Tensor out;
  GaussianKde kde;
  double[][] grid;
  double pairs;

  @Setup
  public void setup() {
    SplittableRandom rng = new SplittableRandom(2026);
    double[] x = new double[samples];
    float[] xf = new float[samples];
    for (int i = 0; i < samples; i++) {
      x[i] = gaussian(rng);
    }
    kde = new GaussianKde(GaussianKde.column(x));
    // The backend works on whitened coordinates: the data in units of the kernel width.
    double width = Math.sqrt(kde.kernelCovariance()[0][0]);
    for (int i = 0; i < samples; i++) {
      xf[i] = (float) (x[i] / width);
    }
    double[] y = new double[points];
    float[] yf = new float[points];
    for (int j = 0; j < points; j++) {
      y[j] = points == 1 ? 0 : -5 + 10.0 * j / (points - 1);
      yf[j] = (float) (y[j] / width);
    }
    grid = GaussianKde.column(y);
    float[] lw = new float[samples];
    java.util.Arrays.fill(lw, (float) -Math.log(samples));
    be = Backends.cpu(1);
    sampleTensor = be.upload(xf, samples, 1);
    logWeights = be.upload(lw, samples);
    pointTensor = be.upload(yf, points, 1);
    out = be.zeros(points);
    pairs = (double) samples * points;
    checkPathsAgree();
  }

  /**
   * Guards the setup: the two paths must compute the same log-sums up to GaussianKde's normalisation,
   * a constant, so backend - exact may vary over the points only by float32 rounding of the whitened
   * coordinates (GaussianKde documents ~1e-5 for data within 10 kernel widths; 1e-3 allowed here, for
   * the grid's ends, 5 data standard deviations out).
   */
  void checkPathsAgree() {
    be.gaussianKernelLogSums(samples, points, 1, sampleTensor, logWeights, pointTensor, out);
    float[] backend = be.download(out);
    double[] exact = kde.logpdf(grid);
    double offset = backend[0] - exact[0];
    for (int j = 0; j < points; j++) {
      double diff = backend[j] - exact[j] - offset;
      if (!(Math.abs(diff) <= 1e-3)) {
        throw new IllegalStateException("KDE paths disagree at point " + j + ": backend " + backend[j]
            + ", exact " + exact[j] + ", offset " + offset);
      }
    }
  }

  /** A standard normal by Box-Muller (seeded, so the data are the same on every run). */
  static double gaussian(SplittableRandom rng) {
    double u = 1 - rng.nextDouble();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rng.nextDouble());
  }

  @TearDown
  public void tearDown() {
    for (Tensor t : new Tensor[] {sampleTensor, logWeights, pointTensor, out}) {
      t.close();
    }
    be.close();
  }

  @Benchmark
  public void backendLogSums(Rates.Elements rate) {
    be.gaussianKernelLogSums(samples, points, 1, sampleTensor, logWeights, pointTensor, out);
    rate.elements += pairs;
  }

  @Benchmark
  public double[] exactLogpdf(Rates.Elements rate) {
    double[] logp = kde.logpdf(grid);
    rate.elements += pairs;
    return logp;
  }
}
