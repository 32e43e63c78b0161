package org.nnstm.plot;

/** A named curve: points (x[i], y[i]); NaN y values leave a gap. */
public record Series(String name, double[] x, double[] y) {
    public Series {
        if (name == null || x.length != y.length || x.length == 0) {
            throw new IllegalArgumentException("series '" + name + "': x has " + x.length + " points, y has "
                    + y.length + " (need equal and > 0)");
        }
        x = x.clone();
        y = y.clone();
    }
}
