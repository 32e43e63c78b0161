// reduce.cu: batched column sums (the bias gradient).
//
// db[p,c] = beta * db[p,c] + sum_{r < rows} dz[p,r,c]; when beta == 0, db is not read.
// One thread per (p, c), summing rows in increasing order (deterministic; reads coalesced across c).
// Launch: blockDim.x = 256, gridDim.x = ceil(cols / 256), gridDim.y = batch.
// Build: tools/build-ptx (nvcc -ptx -arch=compute_80 -O3 reduce.cu).
#include "common.cuh"

extern "C" __global__ void column_sums(int batch, int rows, int cols, const float* __restrict__ dz, float beta,
                                       float* __restrict__ db) {
  const int c = blockIdx.x * blockDim.x + threadIdx.x;
  const long long p = blockIdx.y;
  if (c >= cols || p >= batch) return;
  const float* col = dz + p * rows * (long long)cols + c;
  float s = 0.0f;
  for (int r = 0; r < rows; r++) s += col[(long long)r * cols];
  float* out = db + p * cols + c;
  *out = (beta == 0.0f) ? s : beta * *out + s;
}
