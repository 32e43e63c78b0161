// rng.cu: Gaussian fill from the counter-based Philox4x32-10 generator, bit-identical to
// org.nnstm.tensor.Philox (Java).
//
// t[i] = (float)(std * N_{first + i}) for i < count, N_j = the j-th standard normal of stream
// `stream` under key `seed`: block b = j >> 2 is encrypted with counter (lo b, hi b, lo stream,
// hi stream) and key (lo seed, hi seed); lanes 0,1 use words (x0, x1), lanes 2,3 (x2, x3);
// u1 = (x_even + 0.5) 2^-32, u2 = x_odd 2^-32, N = sqrt(-2 ln u1) * (cos 2 pi u2 | sin 2 pi u2).
// ln, cos, sin are the Java class's portable series, mirrored operation by operation in double.
// This file MUST be compiled with -fmad=false (no a*b+c contraction into FMA): with it, +, -, *,
// / and sqrt in double are correctly rounded, exactly as on the JVM.
// Launch: 1-D grid-stride, one thread per element, blockDim.x = 256.
// Build: tools/build-ptx (nvcc -ptx -arch=compute_80 -O3 -fmad=false rng.cu).
// nvcc-flags: -fmad=false
#include "common.cuh"

#define TWO_POW_M32 (1.0 / 4294967296.0)
#define LN2 0.6931471805599453
#define HALF_PI 1.5707963267948966

__device__ double portable_log(double x) {
  long long bits = __double_as_longlong(x);
  int e = (int)((bits >> 52) & 0x7FF) - 1023;
  double m = __longlong_as_double((bits & 0x000FFFFFFFFFFFFFLL) | 0x3FF0000000000000LL);
  if (m > 1.4142135623730951) {
    m = m * 0.5;
    e = e + 1;
  }
  double s = (m - 1.0) / (m + 1.0);
  double s2 = s * s;
  double p = 1.0 / 23.0;
  p = p * s2 + 1.0 / 21.0;
  p = p * s2 + 1.0 / 19.0;
  p = p * s2 + 1.0 / 17.0;
  p = p * s2 + 1.0 / 15.0;
  p = p * s2 + 1.0 / 13.0;
  p = p * s2 + 1.0 / 11.0;
  p = p * s2 + 1.0 / 9.0;
  p = p * s2 + 1.0 / 7.0;
  p = p * s2 + 1.0 / 5.0;
  p = p * s2 + 1.0 / 3.0;
  p = p * s2 + 1.0;
  return (double)e * LN2 + 2.0 * s * p;
}

__device__ double sin_small(double a) {
  double a2 = a * a;
  double p = -1.0 / 355687428096000.0;
  p = p * a2 + 1.0 / 1307674368000.0;
  p = p * a2 - 1.0 / 6227020800.0;
  p = p * a2 + 1.0 / 39916800.0;
  p = p * a2 - 1.0 / 362880.0;
  p = p * a2 + 1.0 / 5040.0;
  p = p * a2 - 1.0 / 120.0;
  p = p * a2 + 1.0 / 6.0;
  p = p * a2 - 1.0;
  return -(a * p);
}

__device__ double cos_small(double a) {
  double a2 = a * a;
  double p = -1.0 / 6402373705728000.0;
  p = p * a2 + 1.0 / 20922789888000.0;
  p = p * a2 - 1.0 / 87178291200.0;
  p = p * a2 + 1.0 / 479001600.0;
  p = p * a2 - 1.0 / 3628800.0;
  p = p * a2 + 1.0 / 40320.0;
  p = p * a2 - 1.0 / 720.0;
  p = p * a2 + 1.0 / 24.0;
  p = p * a2 - 1.0 / 2.0;
  return p * a2 + 1.0;
}

// cos(2 pi u) (sine == 0) or sin(2 pi u) (sine != 0), u in [0, 1): quadrant reduction as in Java.
__device__ double trig_two_pi(double u, int sine) {
  double t = u * 4.0;
  int q = (int)(t + 0.5);
  double a = (t - (double)q) * HALF_PI;
  switch ((q & 3) + (sine ? 4 : 0)) {
    case 0: return cos_small(a);
    case 1: return -sin_small(a);
    case 2: return -cos_small(a);
    case 3: return sin_small(a);
    case 4: return sin_small(a);
    case 5: return cos_small(a);
    case 6: return -sin_small(a);
    default: return -cos_small(a);
  }
}

extern "C" __global__ void fill_gaussian(float* __restrict__ t, long long count, float std, long long seed,
                                         long long stream, long long first) {
  const uint32_t k0 = (uint32_t)seed, k1 = (uint32_t)((unsigned long long)seed >> 32);
  NNSTM_GRID_STRIDE_LOOP(i, count) {
    const unsigned long long j = (unsigned long long)(first + i);
    const unsigned long long b = j >> 2;
    uint32_t x[4] = {(uint32_t)b, (uint32_t)(b >> 32), (uint32_t)stream,
                     (uint32_t)((unsigned long long)stream >> 32)};
    philox4x32_10(x, k0, k1);
    const int lane = (int)(j & 3);
    const int pair = lane & ~1;
    const double u1 = ((double)x[pair] + 0.5) * TWO_POW_M32;
    const double u2 = (double)x[pair + 1] * TWO_POW_M32;
    const double r = sqrt(-2.0 * portable_log(u1));
    const double g = r * trig_two_pi(u2, lane & 1);
    t[i] = __double2float_rn((double)std * g);
  }
}
