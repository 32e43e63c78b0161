#!/usr/bin/python3
"""Reference values for org.nnstm.prior (run with Debian's /usr/bin/python3 + python3-mpmath 1.2.1).

Writes src/test/resources/org/nnstm/prior/besselk_large_order.csv (ln K_nu(x), mpmath besselk, 50 digits)
and prior_mpmath.csv (ln of vector density, radial density, marginal density and radial CDF of deep
linear networks, mpmath meijerg at mp.dps = 40; conventions of /work/shared/refs/README.md).
Usage: /usr/bin/python3 tools/refs/prior_refs.py [outdir]
"""
import sys
import mpmath as mp

out = sys.argv[1] if len(sys.argv) > 1 else "src/test/resources/org/nnstm/prior"



def log_besselk(nu, x):
    """ln K_nu(x): mpmath besselk, except for nu >= 100 with x >= 1 where mpmath's series is very slow; there
    K_nu(x) = int_0^inf exp(-x cosh t) cosh(nu t) dt, integrated by mp.quad split at the peak x sinh t = nu,
    with the peak value factored out (log space)."""
    nu = mp.mpf(nu)
    if nu < 100 or x < 1:
        return mp.log(mp.besselk(nu, x))
    tp = mp.asinh(nu / x)
    f0 = -x * mp.cosh(tp) + nu * tp
    g = lambda t: mp.exp(-x * mp.cosh(t) + nu * t - f0) * (1 + mp.exp(-2 * nu * t)) / 2
    w = 1 / mp.sqrt(x * mp.cosh(tp))
    pts = [0] + [tp + k * w for k in range(-40, 41, 4) if tp + k * w > 0] + [mp.inf]
    return f0 + mp.log(mp.quad(g, sorted(set(pts))))


mp.mp.dps = 50
import signal


def on_alarm(*_):
    raise TimeoutError()


signal.signal(signal.SIGALRM, on_alarm)
if "--prior-only" not in sys.argv:
  with open(out + "/besselk_large_order.csv", "w") as f:
    f.write("nu,x,log_K\n")
    for nu in [0.25, 3.7, 100, 391.5, 2000]:
        for x in [1e-8, 1e-3, 0.5, 1.9999, 2.0001, 7.3, 50, nu * 0.5, nu * 0.9, nu, nu * 1.1, nu * 2, 3 * nu + 10,
                  700, 1e4, 1e7]:
            x = mp.mpf(x)
            signal.alarm(20)
            try:
                v = log_besselk(nu, x)
            except TimeoutError:
                print("besselk skipped (mpmath too slow)", nu, x, file=sys.stderr, flush=True)
                continue
            finally:
                signal.alarm(0)
            f.write("%s,%s,%s\n" % (mp.nstr(mp.mpf(nu), 17), mp.nstr(x, 17), mp.nstr(v, 20)))
            f.flush()

if "--bessel-only" in sys.argv:
    sys.exit(0)
mp.mp.dps = 40
# id, widths n0..nL, variances, ||x||
configs_all = [
    ("B1_L2_784_784_10", [784, 784, 10], [1.0, 1.0], 9.28),
    ("B2_L2_10_2_3_diverge", [10, 2, 3], [1.3, 0.7], 2.0),
    ("B3_L3_5_7_3_2", [5, 7, 3, 2], [1.2, 0.8, 1.5], 1.7),
    ("B4_L3_784_100_50_10", [784, 100, 50, 10], [1.0, 2.0, 0.5], 9.28),
    ("B5_L4_3_2_5_4_3", [3, 2, 5, 4, 3], [1.0, 1.2, 0.9, 1.1], 1.7),
    ("B6_L4_784_300_100_30_10", [784, 300, 100, 30, 10], [1.0, 1.0, 1.0, 1.0], 9.28),
    ("B7_L3_equal_4", [4, 4, 4, 4], [1.0, 1.0, 1.0], 2.0),
    ("B8_L10_small", [3, 2, 3, 4, 2, 5, 3, 2, 4, 3, 2], [1.0] * 10, 1.5),
    ("B9_L2_1_1_1", [1, 1, 1], [1.0, 1.0], 1.0),
    ("B10_L4_784_784_784_784_10", [784, 784, 784, 784, 10], [1.0] * 4, 9.28),
]
# small configurations first (the wide ones take mpmath minutes per point)
configs = sorted(configs_all, key=lambda c: sum(c[1][1:]))
fs = [mp.mpf(v) for v in ["0.001", "0.1", "0.5", "1", "1.5", "2.5", "4"]]


def lgam(x):
    return mp.loggamma(x)


with open(out + "/prior_mpmath.csv", "w") as f:
    f.write("id,widths,variances,xnorm,kind,r,log_value\n")
    for cid, w, var, xn in configs:
        L = len(w) - 1
        s2 = mp.mpf(xn) ** 2 / w[0]
        for v in var:
            s2 *= mp.mpf(v)
        P = mp.mpf(1)
        for n in w[1:-1]:
            P *= n
        kappa = P / (2 ** L * s2)
        a = [mp.mpf(n) / 2 for n in w[1:]]
        sd = mp.sqrt(w[-1] * s2)
        sdm = mp.sqrt(s2)

        def G(u, b):
            if len(b) == 2:
                # G^{2,0}_{0,2}(u | b1, b2) = 2 u^{(b1+b2)/2} K_{b1-b2}(2 sqrt u)
                return 2 * u ** ((b[0] + b[1]) / 2) * mp.exp(log_besselk(abs(b[0] - b[1]), 2 * mp.sqrt(u)))
            return mp.meijerg([[], []], [b, []], u)

        def logvec(r, aa):
            u = kappa * r * r
            aL = aa[-1]
            b = [x - aL for x in aa]
            return aL * mp.log(kappa / mp.pi) - sum(lgam(x) for x in aa[:-1]) + mp.log(G(u, b))

        am = a[:-1] + [mp.mpf(1) / 2]
        for fr in fs:
          signal.alarm(120)
          try:
            r = fr * sd
            u = kappa * r * r
            rows = []
            rows.append(("vector", r, logvec(r, a)))
            lg = mp.log(G(u, a))
            rows.append(("radial", r, mp.log(2 * kappa * r / u) + lg - sum(lgam(x) for x in a)))
            cdf = mp.meijerg([[1], []], [a, [0]], u) / mp.exp(sum(lgam(x) for x in a))
            rows.append(("cdf", r, mp.log(cdf)))
            y = fr * sdm
            rows.append(("marginal", y, logvec(y, am)))
          except TimeoutError:
            print(cid, "skipped (mpmath too slow) at", fr, file=sys.stderr, flush=True)
            continue
          finally:
            signal.alarm(0)
          for kind, rr, val in rows:
                f.write("%s,%s,%s,%s,%s,%s,%s\n" % (cid, " ".join(map(str, w)), " ".join(map(str, var)), xn, kind,
                                                     mp.nstr(rr, 20), mp.nstr(val, 20)))
          f.flush()
        print(cid, file=sys.stderr, flush=True)
