package org.nnstm.prior;

import java.util.function.DoubleBinaryOperator;

/**
 * Jensen-Shannon and Kullback-Leibler divergences between discrete distributions and between densities
 * sampled on a common 1-D grid.
 *
 * <p>Discrete semantics follow scipy 1.10: inputs are non-negative and are normalised to sum 1 first;
 * terms use {@code scipy.special.rel_entr}: rel_entr(a, b) = a ln(a/b) for a, b > 0, 0 for a = 0 and b >= 0,
 * +inf for a > 0 = b. Logarithms are natural (nats) unless a base is given (result divided by ln(base)).
 *
 * <p>Grid semantics (densities p(x_k), q(x_k) on strictly increasing, possibly non-uniform points x_k):
 * integrals use the trapezoid rule I[f] = sum_k (x_{k+1} - x_k) (f_k + f_{k+1}) / 2. Each density is first
 * divided by its own trapezoid integral (so both integrate to exactly 1 under the same rule), then the
 * divergence integrand (the rel_entr expression pointwise) is integrated with the same rule.
 */
public final class Divergences {
  private Divergences() {}

  /** Jensen-Shannon distance in nats: see {@link #jensenShannonDistance(double[], double[], double)}. */
  public static double jensenShannonDistance(double[] p, double[] q) {
    return jensenShannon(p, q, 1.0);
  }

  /**
   * Jensen-Shannon distance, scipy.spatial.distance.jensenshannon(p, q, base):
   * sqrt( (sum rel_entr(p, m) + sum rel_entr(q, m)) / (2 ln base) ) with p, q normalised to sum 1 and
   * m = (p + q)/2. Symmetric, in [0, sqrt(ln 2 / ln base)].
   *
   * @param p non-negative weights with positive finite sum (not modified)
   * @param q same length as p (not modified)
   * @param base logarithm base > 0, != 1 (e for nats, 2 for bits)
   */
  public static double jensenShannonDistance(double[] p, double[] q, double base) {
    return jensenShannon(p, q, lnBase(base));
  }

  private static double jensenShannon(double[] p, double[] q, double lnBase) {
    double[] pn = normalised("p", p);
    double[] qn = normalised("q", q);
    sameLength(pn, qn);
    double left = 0;
    double right = 0;
    for (int i = 0; i < pn.length; i++) {
      double m = (pn[i] + qn[i]) / 2.0;
      left += relEntr(pn[i], m);
      right += relEntr(qn[i], m);
    }
    double js = (left + right) / lnBase;
    return Math.sqrt(js / 2.0);
  }

  /**
   * Kullback-Leibler divergence KL(p || q) = sum_i rel_entr(p_i, q_i) after normalising p and q to sum 1
   * (scipy.stats.entropy(p, q, base)); +inf when some {@code q_i = 0 < p_i}.
   */
  public static double klDivergence(double[] p, double[] q, double base) {
    checkBase(base);
    double[] pn = normalised("p", p);
    double[] qn = normalised("q", q);
    sameLength(pn, qn);
    double s = 0;
    for (int i = 0; i < pn.length; i++) {
      s += relEntr(pn[i], qn[i]);
    }
    return s / Math.log(base);
  }

  /** KL(p || q) in nats, see {@link #klDivergence(double[], double[], double)}. */
  public static double klDivergence(double[] p, double[] q) {
    return klDivergence(p, q, Math.E);
  }

  /**
   * Jensen-Shannon distance between two densities on a common grid (trapezoid rule, see class javadoc):
   * sqrt( (I[rel_entr(p, m)] + I[rel_entr(q, m)]) / (2 ln base) ), m = (p + q)/2, p and q normalised by
   * their trapezoid integrals.
   *
   * @param x strictly increasing grid, length >= 2 (not modified)
   * @param p density values at x, non-negative with positive integral (not modified)
   * @param q same
   */
  public static double jensenShannonDistanceOnGrid(double[] x, double[] p, double[] q, double base) {
    double[] f = onGrid(x, p, q, base, (pk, qk) -> {
      double m = (pk + qk) / 2.0;
      return relEntr(pk, m) + relEntr(qk, m);
    });
    double js = trapezoid(x, f) / Math.log(base);
    return Math.sqrt(Math.max(0.0, js) / 2.0);
  }

  /**
   * KL(p || q) = I[rel_entr(p, q)] for densities on a common grid (trapezoid rule, each density normalised by
   * its trapezoid integral first); +inf when {@code q = 0 < p} at some grid point.
   */
  public static double klDivergenceOnGrid(double[] x, double[] p, double[] q, double base) {
    double[] f = onGrid(x, p, q, base, Divergences::relEntr);
    for (double fk : f) {
      if (fk == Double.POSITIVE_INFINITY) {
        return Double.POSITIVE_INFINITY;
      }
    }
    return trapezoid(x, f) / Math.log(base);
  }

  /**
   * The integrand {@code g(p_k, q_k)} at each grid point, p and q normalised by their trapezoid integrals
   * (after the base and the grid are checked).
   */
  private static double[] onGrid(double[] x, double[] p, double[] q, double base, DoubleBinaryOperator g) {
    checkBase(base);
    double[] pn = gridNormalised(x, "p", p);
    double[] qn = gridNormalised(x, "q", q);
    double[] f = new double[x.length];
    for (int k = 0; k < x.length; k++) {
      f[k] = g.applyAsDouble(pn[k], qn[k]);
    }
    return f;
  }

  /** scipy.special.rel_entr for finite non-negative arguments. */
  static double relEntr(double a, double b) {
    if (a > 0 && b > 0) {
      return a * Math.log(a / b);
    }
    if (a == 0 && b >= 0) {
      return 0.0;
    }
    return Double.POSITIVE_INFINITY;
  }

  /** Trapezoid integral of f over strictly increasing x. */
  public static double trapezoid(double[] x, double[] f) {
    checkGrid(x);
    if (f.length != x.length) {
      throw new IllegalArgumentException("grid has " + x.length + " points but values have " + f.length);
    }
    double s = 0;
    for (int k = 0; k + 1 < x.length; k++) {
      s += (x[k + 1] - x[k]) * (f[k] + f[k + 1]) / 2.0;
    }
    return s;
  }

  private static double[] normalised(String name, double[] v) {
    if (v == null || v.length == 0) {
      throw new IllegalArgumentException(name + " must have at least one element");
    }
    requireNonNegative(name, v);
    double sum = 0;
    for (double vi : v) {
      sum += vi;
    }
    return dividedBy(name + " must have a positive finite sum, got ", v, sum);
  }

  private static double[] gridNormalised(double[] x, String name, double[] v) {
    checkGrid(x);
    if (v == null || v.length != x.length) {
      throw new IllegalArgumentException(
          "grid has " + x.length + " points but " + name + " has " + (v == null ? 0 : v.length) + " values");
    }
    requireNonNegative(name, v);
    return dividedBy(name + " must have a positive finite integral, got ", v, trapezoid(x, v));
  }

  /** Every v[i] finite and >= 0, else an error naming {@code name[i]}. */
  private static void requireNonNegative(String name, double[] v) {
    for (int i = 0; i < v.length; i++) {
      if (!(v[i] >= 0) || Double.isInfinite(v[i])) {
        throw new IllegalArgumentException(name + "[" + i + "] must be finite and >= 0, got " + v[i]);
      }
    }
  }

  /** v / total, elementwise; the error {@code message + total} unless total is finite and > 0. */
  private static double[] dividedBy(String message, double[] v, double total) {
    if (!(total > 0) || Double.isInfinite(total)) {
      throw new IllegalArgumentException(message + total);
    }
    double[] out = new double[v.length];
    for (int i = 0; i < v.length; i++) {
      out[i] = v[i] / total;
    }
    return out;
  }

  private static void checkGrid(double[] x) {
    if (x == null || x.length < 2) {
      throw new IllegalArgumentException("grid needs at least 2 points, got " + (x == null ? 0 : x.length));
    }
    for (int k = 0; k < x.length; k++) {
      if (!Double.isFinite(x[k])) {
        throw new IllegalArgumentException("grid point " + k + " is not finite: " + x[k]);
      }
      if (k > 0 && !(x[k] > x[k - 1])) {
        throw new IllegalArgumentException(
            "grid must be strictly increasing: x[" + (k - 1) + "] = " + x[k - 1] + ", x[" + k + "] = " + x[k]);
      }
    }
  }

  private static void sameLength(double[] p, double[] q) {
    if (p.length != q.length) {
      throw new IllegalArgumentException("p has " + p.length + " elements but q has " + q.length);
    }
  }

  private static double lnBase(double base) {
    checkBase(base);
    return Math.log(base);
  }

  private static void checkBase(double base) {
    if (!(base > 0) || base == 1.0 || Double.isInfinite(base)) {
      throw new IllegalArgumentException("log base must be finite, > 0 and != 1, got " + base);
    }
  }
}
