// activation.cu: fused bias + activation forward, activation backward (elementwise, memory-bound).
//
// Activation codes (org.nnstm.tensor.Activation ordinal): 0 = TANH, 1 = IDENTITY.
// tanh uses tanhf (max error 2 ulp per the CUDA C Programming Guide), so GPU results may differ from
// the CPU's Math.tanh rounding by a few float ulps.
// Launch: 1-D grid-stride, blockDim.x = 256, gridDim.x = min(ceil(n / 256), 65535 * 8).
// Build: tools/build-ptx (nvcc -ptx -arch=compute_80 -O3 activation.cu).
#include "common.cuh"

// z[p,r,c] += bias[p,c]; y[p,r,c] = phi(z[p,r,c]) for p < batch, r < rows, c < cols
// (n = batch * rows * cols elements). Modifies z and y.
extern "C" __global__ void bias_activation_forward(int act, int batch, int rows, int cols, float* z,
                                                   const float* __restrict__ bias, float* y) {
  const long long per = (long long)rows * cols;
  const long long n = per * batch;
  NNSTM_GRID_STRIDE_LOOP(i, n) {
    const long long p = i / per;
    const int c = (int)(i % cols);
    const float v = z[i] + bias[p * cols + c];
    z[i] = v;
    y[i] = (act == 0) ? tanhf(v) : v;
  }
}

// dz[i] = dy[i] * phi'(z_i) written from y = phi(z): tanh: 1 - y^2; identity: 1. dz may alias dy.
extern "C" __global__ void activation_backward(int act, long long n, const float* dy, const float* __restrict__ y,
                                               float* dz) {
  NNSTM_GRID_STRIDE_LOOP(i, n) {
    const float g = dy[i];
    if (act == 0) {
      const float yi = y[i];
      dz[i] = g * (1.0f - yi * yi);
    } else {
      dz[i] = g;
    }
  }
}
