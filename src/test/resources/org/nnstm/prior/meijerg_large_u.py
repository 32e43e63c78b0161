# ln G^{L,0}_{0,L}(u | b) at large u: the Mellin-Barnes integral on Re w = c (the saddle) by mpmath
# (50 digits, quad over t in [0, 60 sigma]), independent of nnstm's double-precision contour.
from mpmath import mp, mpf, loggamma, psi, quad, exp, log, pi, findroot, re, mpc, sqrt
mp.dps = 50
print('log_u,b1,b2,b3,ln_G')
for lu in [20, 30, 40, 60, 100]:
    for b in [(0, 0.5, 1.0), (0, 1.0, 1.0), (-1.5, 0.0, 2.5)]:
        b = [mpf(x) for x in b]
        lu_m = mpf(lu)
        c = findroot(lambda c: sum(psi(0, x + c) for x in b) - lu_m, exp(lu_m / 3))
        phi = lambda w: sum(loggamma(x + w) for x in b) - w * lu_m
        p0 = phi(mpf(c))
        sig = 1 / sqrt(sum(psi(1, x + c) for x in b))
        f = lambda t: re(exp(phi(mpc(c, t)) - p0))
        pts = [mpf(0)] + [sig * k for k in (0.5, 1, 2, 3, 4, 6, 8, 12, 16, 24, 32, 48, 60)]
        val = quad(f, pts) / pi
        print(lu, *[mp.nstr(x, 3) for x in b], mp.nstr(p0 + log(val), 25), sep=',', flush=True)
