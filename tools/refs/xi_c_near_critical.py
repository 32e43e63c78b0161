#!/usr/bin/python3
"""Independent xi_c = -1/ln chi_c of deep tanh networks near the critical line (Schoenholz et al. 2017),
by mpmath at 30 significant digits, for checking nnstm's MeanField there.

  q* = sigma_w^2 E_z[tanh(sqrt(q*) z)^2] + sigma_b^2
  c* = (sigma_w^2 E[tanh(u1) tanh(u2)] + sigma_b^2) / q*,  u1 = sqrt(q*) z1, u2 = sqrt(q*)(c z1 + sqrt(1-c^2) z2)
  chi_c = sigma_w^2 E[sech^2(u1) sech^2(u2)] at c*

Usage: xi_c_near_critical.py VAR_B VAR_W [VAR_W ...]   prints "var_w,var_b,q_star,c_star,chi_c,xi_c" lines.
Expectations: composite Gauss-Legendre on [-12, 12] (Gaussian tail < 1e-32), 24 panels of 12 nodes per
axis, product rule in 2-D. tanh's poles lie pi / (2 sqrt(q*)) >= 2 from the real axis, so each panel's
error is below ~1e-22 of its weight; checked by rerunning with --check (18 nodes per panel): at
sigma_w^2 = 1.7612, sigma_b^2 = 0.05 the two agree to 2e-20 in q*, 4e-18 in c* and 3e-14 relative in xi_c
(xi_c amplifies c*'s error by ~1/(1 - chi_c)^2). The c* root is found with the Illinois method to 1e-25.
Values (sigma_b^2 = 0.05): xi_c(1.762) = 4492.904980912809, xi_c(1.7612) = 19123.60447811712.
"""
import sys
import mpmath as mp
from mpmath.calculus.quadrature import GaussLegendre

mp.mp.dps = 30
L = 12
PANELS = 24
DEGREE = 4 if '--check' in sys.argv else 3  # mpmath's degree k: 3 * 2^(k-1) nodes per panel


def rule():
    base = GaussLegendre(mp.mp).calc_nodes(DEGREE, mp.mp.prec)  # (node, weight) on [-1, 1]
    nodes, weights = [], []
    h = mp.mpf(2 * L) / PANELS
    for p in range(PANELS):
        a = -L + p * h
        for x, w in base:
            z = a + h * (x + 1) / 2
            nodes.append(z)
            weights.append(w * h / 2 * mp.exp(-z * z / 2) / mp.sqrt(2 * mp.pi))
    return nodes, weights


NODES, WEIGHTS = rule()


def expect1(f):
    return mp.fsum(w * f(z) for z, w in zip(NODES, WEIGHTS))


def expect2(f):
    return mp.fsum(w1 * mp.fsum(w2 * f(z1, z2) for z2, w2 in zip(NODES, WEIGHTS)) for z1, w1 in zip(NODES, WEIGHTS))


def main():
    vb = mp.mpf(sys.argv[1])
    for a in [x for x in sys.argv[2:] if not x.startswith('--')]:
        vw = mp.mpf(a)
        q = mp.findroot(lambda q: vw * expect1(lambda z: mp.tanh(mp.sqrt(q) * z) ** 2) + vb - q, mp.mpf('0.5'))
        s = mp.sqrt(q)

        def corr(c):
            b = mp.sqrt(1 - c * c)
            return (vw * expect2(lambda z1, z2: mp.tanh(s * z1) * mp.tanh(s * (c * z1 + b * z2))) + vb) / q - c

        c = mp.findroot(corr, (mp.mpf('0.99'), mp.mpf('0.99999')), solver='illinois', tol=mp.mpf(10) ** -26)
        b = mp.sqrt(1 - c * c)
        chi = vw * expect2(lambda z1, z2: mp.sech(s * z1) ** 2 * mp.sech(s * (c * z1 + b * z2)) ** 2)
        xi = -1 / mp.log(chi)
        print(','.join(mp.nstr(v, 25) for v in (vw, vb, q, c, chi, xi)), flush=True)


if __name__ == '__main__':
    main()
