// kde.cu: Gaussian kernel sums in log space, the inner loop of a KDE on whitened data.
//
// For points y_j (m, d) and samples z_i (n, d) with log weights lw_i (n), all row-major:
//   out[j] = ln sum_i exp(lw_i - |z_i - y_j|^2 / 2)
// computed in double with a running maximum (online log-sum-exp), so far points stay finite.
//
// kde_partial: grid (ceil(m / blockDim.x), chunks), one thread per point; block (bx, c) covers the samples
//   [c * per, min(n, (c + 1) * per)), per = ceil(n / chunks), staged through dynamic shared memory in tiles of
//   `tile` samples (tile * (d + 1) floats). Each thread keeps (M, S) with sum = S exp(M) over its chunk and
//   writes M rounded to float, with S rescaled to that M, to part[2 (c m + j)], part[2 (c m + j) + 1].
// kde_combine: one thread per point: M = max_c M_c, out[j] = M + ln sum_c S_c exp(M_c - M).
// The host picks chunks so that the grid has enough blocks to fill the GPU (CudaBackend).
// Build: tools/build-ptx (nvcc -ptx -arch=compute_80 -O3 kde.cu).
#include "common.cuh"

extern "C" __global__ void kde_partial(int n, int m, int d, int tile, int per, const float* __restrict__ z,
                                       const float* __restrict__ lw, const float* __restrict__ y,
                                       float* __restrict__ part) {
  extern __shared__ float sh[];  // tile * d coordinates, then tile log weights
  float* shz = sh;
  float* shw = sh + (long long)tile * d;
  const int j = blockIdx.x * blockDim.x + threadIdx.x;
  const int c = blockIdx.y;
  const int first = c * per;
  const int last = min(n, first + per);
  double mx = -INFINITY, s = 0.0;
  for (int t0 = first; t0 < last; t0 += tile) {
    const int count = min(tile, last - t0);
    __syncthreads();
    for (int q = threadIdx.x; q < count * d; q += blockDim.x) shz[q] = z[(long long)t0 * d + q];
    for (int q = threadIdx.x; q < count; q += blockDim.x) shw[q] = lw[t0 + q];
    __syncthreads();
    if (j < m) {
      for (int i = 0; i < count; i++) {
        double r2 = 0.0;
        for (int k = 0; k < d; k++) {
          const double diff = (double)shz[i * d + k] - (double)y[(long long)j * d + k];
          r2 += diff * diff;
        }
        const double e = (double)shw[i] - 0.5 * r2;
        if (e > mx) {
          s = s * exp(mx - e) + 1.0;
          mx = e;
        } else {
          s += exp(e - mx);
        }
      }
    }
  }
  if (j < m) {
    const long long at = 2LL * ((long long)c * m + j);
    if (s > 0.0) {
      const float mf = (float)mx;
      part[at] = mf;
      part[at + 1] = (float)(s * exp(mx - (double)mf));
    } else {  // an empty chunk
      part[at] = -INFINITY;
      part[at + 1] = 0.0f;
    }
  }
}

extern "C" __global__ void kde_combine(int m, int chunks, const float* __restrict__ part, float* __restrict__ out) {
  const int j = blockIdx.x * blockDim.x + threadIdx.x;
  if (j >= m) return;
  double mx = -INFINITY;
  for (int c = 0; c < chunks; c++) mx = fmax(mx, (double)part[2LL * ((long long)c * m + j)]);
  double s = 0.0;
  for (int c = 0; c < chunks; c++) {
    const long long at = 2LL * ((long long)c * m + j);
    if (part[at + 1] > 0.0f) s += (double)part[at + 1] * exp((double)part[at] - mx);
  }
  out[j] = (float)(mx + log(s));
}
