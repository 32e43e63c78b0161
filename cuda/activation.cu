// activation.cu: fused bias + activation forward, activation backward (elementwise, memory-bound).
//
// Activation codes (org.nnstm.tensor.Activation.kernelCode()): 0 = TANH, 1 = IDENTITY, 2 = RELU, 3 = ERF.
// Adding an activation adds one case to act_forward and act_backward (then rerun tools/build-ptx).
// tanh uses tanhf (max error 2 ulp per the CUDA C Programming Guide), so GPU results may differ from
// the CPU's rounding by a few float ulps; erf uses erff (2 ulp) and its derivative expf (2 ulp) of
// the exactly split -z^2.
// Launch: 1-D grid-stride, blockDim.x = 256, gridDim.x = min(ceil(n / 256), 65535 * 8).
// Build: tools/build-ptx (nvcc -ptx -arch=compute_80 -O3 activation.cu).
#include "common.cuh"

// phi(v) for the activation code (an unknown code is the identity; the host passes only known codes).
__device__ __forceinline__ float act_forward(int act, float v) {
  switch (act) {
    case 0: return tanhf(v);
    case 2: return v < 0.0f ? 0.0f : v;  // relu; NaN propagates
    case 3: return erff(v);
    default: return v;
  }
}

// g * phi'(z) from the pre-activation z or the output y = phi(z), whichever the activation needs:
// tanh 1 - y^2; relu [z > 0]; erf (2 / sqrt(pi)) exp(-z^2); identity 1.
__device__ __forceinline__ float act_backward(int act, float g, const float* __restrict__ z,
                                              const float* __restrict__ y, long long i) {
  switch (act) {
    case 0: {
      const float yi = y[i];
      return g * (1.0f - yi * yi);
    }
    case 2: return g * (z[i] > 0.0f ? 1.0f : 0.0f);
    case 3: {
      // exp(-z^2) with z^2 = hi + lo split exactly, so large |z| does not lose the rounding of z*z
      const float zi = z[i];
      const float hi = zi * zi;
      const float lo = fmaf(zi, zi, -hi);
      return g * (1.1283791670955126f * (expf(-hi) * (1.0f - lo)));
    }
    default: return g;
  }
}

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
    y[i] = act_forward(act, v);
  }
}

// dz[i] = dy[i] * phi'(z[i]), from the pre-activations z or the outputs y = phi(z) (see act_backward).
// dz may alias dy (not z or y).
extern "C" __global__ void activation_backward(int act, long long n, const float* dy, const float* __restrict__ z,
                                               const float* __restrict__ y, float* dz) {
  NNSTM_GRID_STRIDE_LOOP(i, n) {
    dz[i] = act_backward(act, dy[i], z, y, i);
  }
}
