package org.nnstm.prior;

import java.io.IOException;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.nnstm.testing.Tolerance;

/** Exact prior against mpmath references (shared prior_reference.csv and our prior_mpmath.csv). */
class LinearNetworkPriorReferenceTest {
  /** The acceptance bound: 1e-10 relative on densities (and CDF values) wherever they exceed 1e-300. */
  static final double PRIOR_RTOL = 1e-10;

  private static int[] ints(String s) {
    return Arrays.stream(s.trim().split(" ")).mapToInt(Integer::parseInt).toArray();
  }

  private static double[] doubles(String s) {
    return Arrays.stream(s.trim().split(" ")).mapToDouble(Double::parseDouble).toArray();
  }

  @Test
  void matchesSharedReference() throws IOException {
    // id,L,n0,hidden_widths,nL,sigmas,xnorm2,s2,r,u,p,log_p,radial_density,...
    for (String[] row : BesselKTest.csv("prior_reference.csv")) {
      int[] hidden = ints(row[3]);
      int[] widths = new int[hidden.length + 2];
      widths[0] = Integer.parseInt(row[2]);
      System.arraycopy(hidden, 0, widths, 1, hidden.length);
      widths[widths.length - 1] = Integer.parseInt(row[4]);
      double[] sigmas = doubles(row[5]);
      double[] variances = Arrays.stream(sigmas).map(s -> s * s).toArray();
      LinearNetworkPrior prior = new LinearNetworkPrior(widths, variances, Math.sqrt(Double.parseDouble(row[6])));
      double r = Double.parseDouble(row[8]);
      String what = row[0] + " r=" + r;
      Tolerance.assertClose(what + " p", Double.parseDouble(row[10]), prior.density(r), 0, PRIOR_RTOL);
      Tolerance.assertClose(what + " log p", Double.parseDouble(row[11]), prior.logDensity(r), 0, PRIOR_RTOL);
      Tolerance.assertClose(what + " radial", Double.parseDouble(row[12]), prior.radialDensity(r), 0, PRIOR_RTOL);
    }
  }

  @Test
  void matchesOwnMpmathReference() throws IOException {
    // id,widths,variances,xnorm,kind,r,log_value
    for (String[] row : BesselKTest.csv("prior_mpmath.csv")) {
      LinearNetworkPrior prior = new LinearNetworkPrior(ints(row[1]), doubles(row[2]), Double.parseDouble(row[3]));
      double r = Double.parseDouble(row[5]);
      double expected = Double.parseDouble(row[6]);
      double actual;
      switch (row[4]) {
        case "vector": actual = prior.logDensity(r); break;
        case "radial": actual = prior.logRadialDensity(r); break;
        case "marginal": actual = prior.logMarginalDensity(r); break;
        case "cdf": actual = prior.logRadialCdf(r); break;
        default: throw new IllegalStateException(row[4]);
      }
      if (expected < Math.log(1e-300)) {
        continue;
      }
      // relative 1e-10 on the value = absolute 1e-10 on its log
      Tolerance.assertClose(row[0] + " " + row[4] + " r=" + r, expected, actual, PRIOR_RTOL, 0);
    }
  }
}
