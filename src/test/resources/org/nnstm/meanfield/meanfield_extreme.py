# 25-digit mean-field reference for tanh at extreme sigma_w^2, sigma_b^2 (mpmath quad with breakpoints
# at the integrand's scales, findroot). Columns as partC_meanfield_table.csv.
import sys
from mpmath import mp, mpf, quad, tanh, sech, exp, sqrt, pi, findroot, inf, log
mp.dps = 40
def pts(center, scale):
    p = [-inf]
    ks = []
    k = mpf(1) / scale
    while k < 12:
        ks.append(k); k *= 8
    p += sorted([center - x for x in ks]) + [center] + sorted([center + x for x in ks]) + [inf]
    return sorted(set(p))
def E(f, center=0, scale=1):
    g = lambda z: f(z) * exp(-z * z / 2) / sqrt(2 * pi)
    return quad(g, pts(center, scale))
def q_star(vw, vb):
    G = lambda q: vw * E(lambda z: tanh(sqrt(q) * z) ** 2, 0, sqrt(q)) + vb - q
    if vb == 0 and vw <= 1:
        return mpf(0)
    lo = vb if vb > 0 else (vw - 1) / (4 * vw)
    while G(lo) <= 0:
        lo /= 4
    hi = vw + vb
    q = findroot(G, (lo, hi), solver='anderson', tol=(mpf(10) ** -32 * lo) ** 2, verify=False)
    for _ in range(3):
        q = findroot(G, (q, q * (1 + mpf(10) ** -12)), solver='secant', tol=(mpf(10) ** -34 * q) ** 2, verify=False)
    assert abs(G(q)) < mpf(10) ** -24 * q, (vw, vb, q, G(q))
    return q
def corr(q, c, deriv):
    s = sqrt(q); a = s * c; b = s * sqrt(1 - c * c)
    f = (lambda x: sech(x) ** 2) if deriv else tanh
    inner = lambda z1: E(lambda z2: f(a * z1 + b * z2), -a * z1 / b, b)
    return E(lambda z1: f(s * z1) * inner(z1), 0, s)
def point(vw, vb, twod):
    vw = mpf(float(vw)); vb = mpf(float(vb))  # the double Java parses
    q = q_star(vw, vb)
    s = sqrt(q)
    chi1 = vw * E(lambda z: sech(s * z) ** 4, 0, s)
    dF = chi1 + vw * E(lambda z: -2 * tanh(s * z) ** 2 * sech(s * z) ** 2, 0, s)
    if chi1 <= 1:
        return q, chi1, mpf(1), chi1, dF, 'ordered'
    if not twod:
        return q, chi1, None, None, dF, 'chaotic'
    if vb == 0:
        c = mpf(0)
    else:
        mp.dps = 20
        g = lambda c: (vw * corr(q, c, False) + vb) / q - c
        c = findroot(g, (mpf('1e-30'), mpf('0.5')), solver='anderson', tol=mpf(10) ** -30)
        mp.dps = 40
    mp.dps = 20
    chic = vw * corr(q, c, True)
    mp.dps = 40
    return q, chi1, c, chic, dF, 'chaotic'
out = sys.argv[1]; twod = sys.argv[2] == '2d'
cases = [l.split() for l in sys.argv[3:]]
with open(out, 'w') as fh:
    fh.write('sigma_w2,sigma_b2,phase,q_star,chi_1,c_star,chi_c,xi_c,xi_q,dF_dq_at_qstar\n')
    for vw, vb in [c.split(':') for c in sys.argv[3:]]:
        q, chi1, c, chic, dF, ph = point(vw, vb, twod)
        xiq = -1 / log(dF)
        f = lambda v: '' if v is None else mp.nstr(v, 22)
        xic = None if chic is None else -1 / log(chic)
        fh.write(','.join([vw, vb, ph, f(q), f(chi1), f(c), f(chic), f(xic), f(xiq), f(dF)]) + '\n')
        fh.flush()
