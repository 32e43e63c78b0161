package org.nnstm.meanfield;

/**
 * Mean-field quantities of a deep random network at (sigma_w^2, sigma_b^2) (Poole et al. 2016;
 * Schoenholz et al. 2017): the fixed point q* of the length map, chi_1, the stable fixed point c* of the
 * correlation map, chi_c, the depth scales xi_c = -1/ln chi_c and xi_q = -1/ln(dF/dq at q*) (in layers),
 * and the phase ("ordered" when chi_1 &lt;= 1, where c* = 1 and chi_c = chi_1; else "chaotic"; "unbounded" where
 * the length map has no finite fixed point, see {@link #unbounded}).
 */
public record MeanFieldPoint(double varW, double varB, double qStar, double chi1, double cStar, double chiC,
                             double xiC, double xiQ, String phase) {
  /**
   * The point of a network whose length map grows without bound ({@link MeanField#unbounded}: relu or identity
   * beyond their critical line): q* = +Infinity, every other quantity NaN, phase "unbounded".
   */
  public static MeanFieldPoint unbounded(double varW, double varB) {
    return new MeanFieldPoint(varW, varB, Double.POSITIVE_INFINITY, Double.NaN, Double.NaN, Double.NaN, Double.NaN,
        Double.NaN, "unbounded");
  }
}
