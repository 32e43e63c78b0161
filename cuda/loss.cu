// loss.cu: softmax cross-entropy, loss statistics and gradient, for a stack of models.
//
// logits (batch, rows, classes), labels (rows) as exact floats. With P = softmax(logits[p,r,:])
// computed stably (row max subtracted):
//   grad[p,r,c] = gradScale * (P_c - [c == label_r])
//   stats[p,0]  = sum_r -ln P_label(r)  (nats)
//   stats[p,1]  = #rows whose argmax (first maximum) equals the label
// Launch: one block per model (gridDim.x = batch), blockDim.x = 256 (8 warps); warp w handles rows
// w, w + 8, ...; each row is reduced across the warp with shuffles, then the block sums the per-warp
// totals in a fixed order (deterministic, no atomics).
// Build: tools/build-ptx (nvcc -ptx -arch=compute_80 -O3 loss.cu).
#include "common.cuh"

#define LOSS_WARPS 8

extern "C" __global__ void softmax_cross_entropy_forward(int batch, int rows, int classes,
                                                         const float* __restrict__ logits,
                                                         const float* __restrict__ labels, float gradScale,
                                                         float* __restrict__ grad, float* __restrict__ stats) {
  __shared__ float lossPart[LOSS_WARPS];
  __shared__ float hitPart[LOSS_WARPS];
  const int p = blockIdx.x;
  const int lane = threadIdx.x & 31, warp = threadIdx.x >> 5;
  float lossSum = 0.0f, hits = 0.0f;
  for (int r = warp; r < rows; r += LOSS_WARPS) {
    const long long base = ((long long)p * rows + r) * classes;
    const float* x = logits + base;
    const int label = (int)labels[r];
    // max and first argmax
    float mx = -INFINITY;
    int arg = 0x7fffffff;
    for (int c = lane; c < classes; c += 32) {
      const float v = x[c];
      if (v > mx) { mx = v; arg = c; }
    }
#pragma unroll
    for (int o = 16; o > 0; o >>= 1) {
      const float om = __shfl_xor_sync(0xffffffffu, mx, o);
      const int oa = __shfl_xor_sync(0xffffffffu, arg, o);
      if (om > mx || (om == mx && oa < arg)) { mx = om; arg = oa; }
    }
    float se = 0.0f;
    for (int c = lane; c < classes; c += 32) se += expf(x[c] - mx);
#pragma unroll
    for (int o = 16; o > 0; o >>= 1) se += __shfl_xor_sync(0xffffffffu, se, o);
    const float inv = 1.0f / se;
    for (int c = lane; c < classes; c += 32) {
      const float prob = expf(x[c] - mx) * inv;
      grad[base + c] = gradScale * (prob - (c == label ? 1.0f : 0.0f));
    }
    if (lane == 0) {
      lossSum += logf(se) - (x[label] - mx);
      hits += (arg == label) ? 1.0f : 0.0f;
    }
  }
  if (lane == 0) {
    lossPart[warp] = lossSum;
    hitPart[warp] = hits;
  }
  __syncthreads();
  if (threadIdx.x == 0) {
    float l = 0.0f, h = 0.0f;
    for (int w = 0; w < LOSS_WARPS; w++) { l += lossPart[w]; h += hitPart[w]; }
    stats[2LL * p] = l;
    stats[2LL * p + 1] = h;
  }
}

// Cubic readout and squared error (the regression view of MNIST), forward and backward in one pass.
// u (batch, rows, cols), g (batch), target (rows, cols) shared by every model:
//   pred[p,i]  = u + g[p] u^3,   d = pred[p,i] - target[i]      (i = r * cols + c)
//   gradU[p,i] = gradScale * d * (1 + 3 g[p] u^2)               (gradU may alias u)
//   stats[p]   = sum_i d^2
// Launch: one block per model (gridDim.x = batch), blockDim.x = 256; thread t handles i = t, t + 256, ...
// and keeps its partial sum in double; the block adds the 256 partials in a fixed tree order
// (deterministic, no atomics).
#define READOUT_THREADS 256

extern "C" __global__ void cubic_readout_squared_error(int batch, int rows, int cols,
                                                       const float* u, const float* __restrict__ g,
                                                       const float* __restrict__ target, float gradScale,
                                                       float* __restrict__ pred, float* gradU,
                                                       float* __restrict__ stats) {
  __shared__ double part[READOUT_THREADS];
  const int p = blockIdx.x;
  const long long per = (long long)rows * cols;
  const float gp = g[p];
  double sse = 0.0;
  for (long long i = threadIdx.x; i < per; i += READOUT_THREADS) {
    const long long at = (long long)p * per + i;
    const float x = u[at];
    const float y = x + gp * x * x * x;
    const float d = y - target[i];
    sse += (double)d * d;
    pred[at] = y;
    gradU[at] = gradScale * d * (1.0f + 3.0f * gp * x * x);
  }
  part[threadIdx.x] = sse;
  __syncthreads();
  for (int s = READOUT_THREADS / 2; s > 0; s >>= 1) {
    if (threadIdx.x < s) part[threadIdx.x] += part[threadIdx.x + s];
    __syncthreads();
  }
  if (threadIdx.x == 0) stats[p] = (float)part[0];
}
