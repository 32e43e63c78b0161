// optim.cu: parameter updates and vector ops: SGD with momentum, axpy, fill.
//
// Each multiply and add is rounded separately (__fmul_rn / __fadd_rn, never contracted into FMA) so
// that results are bit-identical to the CPU's plain float arithmetic in the same order.
// Launch: 1-D grid-stride, blockDim.x = 256, gridDim.x = min(ceil(n / 256), 65535 * 8).
// Build: tools/build-ptx (nvcc -ptx -arch=compute_80 -O3 optim.cu).
#include "common.cuh"

// PyTorch SGD (dampening 0, no Nesterov): v = mu * v + g; w = w - lr * v. Modifies w and v.
extern "C" __global__ void sgd_momentum(long long n, float lr, float mu, float* __restrict__ w,
                                        const float* __restrict__ g, float* __restrict__ v) {
  NNSTM_GRID_STRIDE_LOOP(i, n) {
    const float vi = __fadd_rn(__fmul_rn(mu, v[i]), g[i]);
    v[i] = vi;
    w[i] = __fsub_rn(w[i], __fmul_rn(lr, vi));
  }
}

// y[i] += alpha * x[i]. Modifies y.
extern "C" __global__ void axpy(long long n, float alpha, const float* __restrict__ x, float* __restrict__ y) {
  NNSTM_GRID_STRIDE_LOOP(i, n) { y[i] = __fadd_rn(y[i], __fmul_rn(alpha, x[i])); }
}

// t[i] = value. Modifies t.
extern "C" __global__ void fill(long long n, float value, float* __restrict__ t) {
  NNSTM_GRID_STRIDE_LOOP(i, n) { t[i] = value; }
}
