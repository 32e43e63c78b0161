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
