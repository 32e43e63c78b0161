#!/usr/bin/python3
"""Reference values for org.nnstm.prior.GaussianKde from scipy.stats.gaussian_kde (Debian python3-scipy).

Run with Debian's interpreter:  /usr/bin/python3 tools/refs/kde_refs.py
Writes, under src/test/resources/org/nnstm/prior/:
  kde_cases.csv              one row per case: case, d, n, bw (scott|silverman|factor value), weighted, factor, neff
  kde_<case>_samples.csv     columns x1..xd (and w when weighted), one sample per row
  kde_<case>_eval.csv        columns x1..xd, pdf, logpdf (scipy's evaluate and logpdf)
All numbers are written with repr() (17 significant digits, round-trip exact).
"""
import os
import numpy as np
import scipy
from scipy.stats import gaussian_kde

OUT = os.path.join(os.path.dirname(__file__), "..", "..", "src", "test", "resources", "org", "nnstm", "prior")
rng = np.random.default_rng(20261122)


def case(name, x, points, bw="scott", weights=None):
    x = np.atleast_2d(x)          # n x d
    n, d = x.shape
    bw_method = None if bw == "scott" else bw
    kde = gaussian_kde(x.T, bw_method=bw_method, weights=weights)
    pts = np.atleast_2d(points)
    pdf = kde.evaluate(pts.T)
    logpdf = kde.logpdf(pts.T)
    cols = ["x%d" % (k + 1) for k in range(d)]
    with open(os.path.join(OUT, "kde_%s_samples.csv" % name), "w") as f:
        f.write(",".join(cols + (["w"] if weights is not None else [])) + "\n")
        for i in range(n):
            row = [repr(float(v)) for v in x[i]]
            if weights is not None:
                row.append(repr(float(weights[i])))
            f.write(",".join(row) + "\n")
    with open(os.path.join(OUT, "kde_%s_eval.csv" % name), "w") as f:
        f.write(",".join(cols + ["pdf", "logpdf"]) + "\n")
        for j in range(pts.shape[0]):
            f.write(",".join([repr(float(v)) for v in pts[j]] + [repr(float(pdf[j])), repr(float(logpdf[j]))]) + "\n")
    return "%s,%d,%d,%s,%s,%r,%r\n" % (name, d, n, bw, weights is not None, float(kde.factor), float(kde.neff))


rows = []
# 1-D Silverman, odd n, points including the far tail (pdf underflows, logpdf finite)
x = rng.standard_normal((151, 1))
rows.append(case("silverman_1d", x, np.array([[-40.0], [-6.0], [-2.5], [-0.3], [0.0], [0.7], [1.9], [3.3], [12.0]]), bw="silverman"))
# 1-D scalar factor, tiny n (2 samples), 1 point
rows.append(case("factor_1d_n2", np.array([[0.25], [1.5]]), np.array([[0.9]]), bw=0.5))
# 1-D scalar factor, 7 samples, 5 points
rows.append(case("factor_1d", rng.standard_normal((7, 1)) * 3 + 1, np.array([[-9.0], [-1.0], [0.5], [2.0], [8.0]]), bw=0.35))
# 2-D weighted Scott
x = rng.multivariate_normal([0.5, -1.0], [[2.0, -0.7], [-0.7, 1.0]], size=121)
w = rng.uniform(0.1, 2.0, size=121)
pts = np.column_stack([np.linspace(-4, 5, 9), np.linspace(3, -5, 9)])
rows.append(case("weighted_2d", x, pts, weights=w))
# 2-D Silverman, non-square aspect (correlated, very different scales)
x = rng.multivariate_normal([10.0, 0.0], [[100.0, 0.9], [0.9, 0.01]], size=77)
pts = np.column_stack([np.linspace(-20, 40, 7), np.linspace(-0.3, 0.3, 7)])
rows.append(case("silverman_2d", x, pts, bw="silverman"))
# 3-D Silverman
cov3 = np.array([[1.0, 0.3, -0.2], [0.3, 2.0, 0.5], [-0.2, 0.5, 0.7]])
x = rng.multivariate_normal([0.0, 1.0, -1.0], cov3, size=203)
pts = rng.multivariate_normal([0.0, 1.0, -1.0], 2 * cov3, size=11)
pts[-1] = [15.0, -20.0, 9.0]  # far tail
rows.append(case("silverman_3d", x, pts, bw="silverman"))
# 3-D weighted scalar factor
x = rng.multivariate_normal([1.0, 0.0, 2.0], cov3, size=33)
w = rng.integers(1, 5, size=33).astype(float)
pts = rng.multivariate_normal([1.0, 0.0, 2.0], cov3, size=5)
rows.append(case("weighted_factor_3d", x, pts, bw=0.8, weights=w))
# 3-D Scott (default)
x = rng.standard_normal((64, 3)) @ np.array([[1.0, 0.0, 0.0], [0.5, 1.0, 0.0], [0.1, -0.4, 0.3]])
pts = rng.standard_normal((6, 3))
rows.append(case("scott_3d", x, pts))

with open(os.path.join(OUT, "kde_cases.csv"), "w") as f:
    f.write("# scipy %s numpy %s\n" % (scipy.__version__, np.__version__))
    f.write("case,d,n,bw,weighted,factor,neff\n")
    f.writelines(rows)
print("wrote %d cases to %s" % (len(rows), os.path.abspath(OUT)))
