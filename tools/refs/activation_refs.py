#!/usr/bin/python3
"""Reference values for the RELU and ERF activations (ActivationTest, MeanFieldActivationsTest).

Run: /usr/bin/python3 tools/refs/activation_refs.py [erf|meanfield]
Prints Java array rows; erf values are computed with mpmath at 30 significant digits (mp.dps = 30), mean-field values at
20 (mp.dps = 20), and printed to 17 significant digits, i.e. correctly rounded to double up to the last printed digit.

erf:       {x, erf(x)} at 392 points (x exact doubles, printed with repr).
meanfield: mean-field quantities computed by numerical integration (mpmath.quad) of the defining
           Gaussian expectations (the two-variable ones reduced to one variable by the inner Gaussian
           average, see erf_pair), independent of the closed forms the Java tests also use:
           {sigma_w^2, sigma_b^2, q*, chi_1, c*, chi_c} for ERF and {sigma_w^2, sigma_b^2, q*, chi_1} for RELU.
"""
import sys
import random
import mpmath as mp

mp.mp.dps = 30  # meanfield_rows lowers it to 20 (nested quadrature)


def fmt(v):
    return mp.nstr(mp.mpf(v), 17, min_fixed=-3, max_fixed=3).replace("e", "E") if v != 0 else "0.0"


def erf_rows():
    random.seed(20261205)
    xs = [0.0, 5e-324, 1e-300, 1e-20, 1e-8, 1e-4, 0.1, 0.5, 0.9999999999999999, 1.0, 1.0000000000000002,
          1.9999999999999998, 2.0, 2.0000000000000004, 2.9999999999999996, 3.0, 3.0000000000000004, 5.999999999999999, 6.0, 6.5, 8.0, 27.0]
    xs += [random.uniform(0, 7) for _ in range(250)]
    xs += [10.0 ** random.uniform(-12, 0) for _ in range(80)]
    xs += [random.uniform(0.99, 1.01) for _ in range(10)]
    xs += [random.uniform(1.99, 2.01) for _ in range(10)]
    xs += [random.uniform(2.99, 3.01) for _ in range(10)]
    xs += [random.uniform(5.9, 6.1) for _ in range(10)]
    rows = []
    for i, x in enumerate(xs):
        if i % 3 == 1:
            x = -x
        rows.append("{%r, %s}" % (x, fmt(mp.erf(mp.mpf(x)))))
    print("// " + str(len(rows)) + " rows {x, erf(x)}: mpmath " + mp.__version__ + ", mp.dps = 30")
    print(",\n".join(rows))


def gauss1(f):
    """E_z[f(z)], z ~ N(0, 1)."""
    return mp.quad(lambda z: f(z) * mp.exp(-z * z / 2), [-mp.inf, 0, mp.inf]) / mp.sqrt(2 * mp.pi)


def erf_pair(q, c, derivative):
    """E[erf(u1) erf(u2)] (or E[erf'(u1) erf'(u2)]), u1 = sqrt(q) z1, u2 = sqrt(q) (c z1 + sqrt(1 - c^2) z2),
    as a 1-D quad over z1 of the inner Gaussian average over z2 in closed form:
    E_z[erf(m + b z)] = erf(m / sqrt(1 + 2 b^2)) and E_z[exp(-(m + b z)^2)] = exp(-m^2 / (1 + 2 b^2)) / sqrt(1 + 2 b^2)
    (plain Gaussian integrals; not the arcsin / determinant closed forms the Java test also checks)."""
    s = mp.sqrt(q)
    a = s * c
    b = s * mp.sqrt(1 - c * c)
    w = 1 + 2 * b * b
    two = 2 / mp.sqrt(mp.pi)
    if derivative:
        inner = lambda z1: two * mp.exp(-q * z1 * z1) * two * mp.exp(-(a * z1) ** 2 / w) / mp.sqrt(w)
    else:
        inner = lambda z1: mp.erf(s * z1) * mp.erf(a * z1 / mp.sqrt(w))
    return gauss1(inner)


def erf_meanfield(vw, vb):
    vw = mp.mpf(vw)
    vb = mp.mpf(vb)
    two = 2 / mp.sqrt(mp.pi)
    F = lambda q: vw * gauss1(lambda z: mp.erf(mp.sqrt(q) * z) ** 2) + vb
    if vb == 0 and vw * two ** 2 <= 1:
        q = mp.mpf(0)
    else:
        q = mp.findroot(lambda q: F(q) - q, (mp.mpf(1e-6) + vb, vw + vb), solver="anderson", tol=mp.mpf(10) ** -28)
    chi1 = vw * gauss1(lambda z: (two * mp.exp(-q * z * z)) ** 2)
    if chi1 <= 1:
        c, chic = mp.mpf(1), chi1
    else:
        C = lambda c: (vw * erf_pair(q, c, False) + vb) / q
        if vb == 0:
            c = mp.mpf(0)
        else:
            c = mp.findroot(lambda c: C(c) - c, (mp.mpf(0), mp.mpf(1) - mp.mpf(1e-6)), solver="anderson",
                            tol=mp.mpf(10) ** -25)
        chic = vw * erf_pair(q, c, True)
    return [q, chi1, c, chic]


def relu_meanfield(vw, vb):
    vw = mp.mpf(vw)
    vb = mp.mpf(vb)
    relu = lambda x: x if x > 0 else mp.mpf(0)
    k = gauss1(lambda z: relu(z) ** 2)             # E relu(z)^2 (1/2)
    d = gauss1(lambda z: 1 if z > 0 else 0)        # E relu'(z)^2 (1/2)
    q = vb / (1 - vw * k)                          # the length map is linear: F(q) = vw k q + vb
    return [q, vw * d]


def meanfield_rows():
    mp.mp.dps = 20
    print("// ERF {sigma_w^2, sigma_b^2, q*, chi_1, c*, chi_c}: mpmath " + mp.__version__
          + " quad of the defining expectations, mp.dps = 20")
    for vw, vb in [(0.5, 0.0), (0.7, 0.1), (1.0, 0.05), (1.5, 0.0), (2.0, 0.05), (3.0, 0.2), (6.0, 1.0)]:
        print("{%r, %r, %s}," % (vw, vb, ", ".join(fmt(v) for v in erf_meanfield(vw, vb))))
    print("// RELU {sigma_w^2, sigma_b^2, q*, chi_1}")
    for vw, vb in [(0.5, 0.0), (1.0, 0.05), (1.5, 0.3), (1.9, 0.01)]:
        print("{%r, %r, %s}," % (vw, vb, ", ".join(fmt(v) for v in relu_meanfield(vw, vb))))


if __name__ == "__main__":
    what = sys.argv[1] if len(sys.argv) > 1 else "erf"
    erf_rows() if what == "erf" else meanfield_rows()
