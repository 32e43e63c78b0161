package org.nnstm.prior;

/**
 * Throughput of the exact prior density (points per second), single thread. Not a test: run with
 * {@code mvn -B -q -o test-compile && java -cp target/classes:target/test-classes org.nnstm.prior.PriorThroughput}.
 * Radii cycle over 0.05..3 times sqrt(E||h||^2); 3 s warm-up, then 5 s measured per configuration.
 */
public final class PriorThroughput {
  private PriorThroughput() {}

  public static void main(String[] args) {
    int[][] widths = {
      {784, 784, 10}, {784, 100, 10}, {5, 7, 3}, {784, 100, 50, 30, 10}, {5, 3, 6, 2, 4}, {784, 784, 784, 10},
    };
    for (int[] w : widths) {
      LinearNetworkPrior prior = new LinearNetworkPrior(w, new double[] {1.0}, 9.28);
      double sd = Math.sqrt(prior.radialMoment(1));
      double[] radii = new double[97];
      for (int i = 0; i < radii.length; i++) {
        radii[i] = sd * (0.05 + 2.95 * i / (radii.length - 1));
      }
      run(prior, radii, 3e9);
      double rate = run(prior, radii, 5e9);
      System.out.printf("L=%d widths=%s  log density: %.3g points/s%n", prior.depth(),
          java.util.Arrays.toString(w), rate);
    }
  }

  private static double sink;

  private static double run(LinearNetworkPrior prior, double[] radii, double nanos) {
    long start = System.nanoTime();
    long n = 0;
    double acc = 0;
    while (System.nanoTime() - start < nanos) {
      for (double r : radii) {
        acc += prior.logDensity(r);
      }
      n += radii.length;
    }
    sink += acc;
    return n / ((System.nanoTime() - start) * 1e-9);
  }
}
