// gemm.cu: batched single-precision GEMM, row-major, all four transpose combinations.
//
// For p < gridDim.z: C_p = alpha * op(A_p) * op(B_p) + beta * C_p, op(A_p) m x k, op(B_p) k x n,
// C_p m x n; A_p = A + p * strideA (stride 0 broadcasts), likewise B_p, C_p. Stored layouts:
// A is m x k (lda = k), or k x m when transA (lda = m); B is k x n (ldb = n), or n x k when transB
// (ldb = k); C is m x n. When beta == 0, C is never read (NaNs in C do not propagate).
//
// Algorithm: classic register-blocked tiling. A block computes a BM x BN tile of C with
// (BM/TM) x (BN/TN) threads, each holding a TM x TN accumulator in registers; the k dimension is
// walked in slices of BK: the next slice is loaded from global memory into registers while the
// current one is multiplied out of shared memory (two shared buffers, one barrier per slice).
// Tiles of A are stored k-major in shared memory (As[k][row], padded by 4 floats against bank
// conflicts) so both operands are read as float4. Each thread owns rows {g*BM/2 + ty*4 + r} and
// columns {h*BN/2 + tx*4 + s} (strided quads, conflict-free float4 reads).
//
// Kernels (launch: blockDim.x = threads, grid = (ceil(n/BN), ceil(m/BM), batch)):
//   sgemm_128x128: BM = BN = 128, BK = 8, 8 x 8 per thread, 256 threads  (large problems)
//   sgemm_64x64:   BM = BN = 64,  BK = 8, 4 x 4 per thread, 256 threads  (skinny / few blocks)
//
// Build: tools/build-ptx (nvcc -ptx -arch=compute_80 -O3 gemm.cu).
#include "common.cuh"

template <int BM, int BN, int BK, int TM, int TN>
__device__ __forceinline__ void sgemm_tile(int transA, int transB, int m, int n, int k, float alpha,
                                           const float* __restrict__ A, long long strideA,
                                           const float* __restrict__ B, long long strideB, float beta,
                                           float* __restrict__ C, long long strideC) {
  constexpr int NT = (BM / TM) * (BN / TN);
  constexpr int LA = BM * BK / NT;  // A elements loaded per thread per slice
  constexpr int LB = BN * BK / NT;
  constexpr int QM = TM / 4, QN = TN / 4;  // quads per thread in each direction
  constexpr int SM = BM / QM, SN = BN / QN;  // distance between a thread's quads
  __shared__ __align__(16) float As[2][BK][BM + 4];
  __shared__ __align__(16) float Bs[2][BK][BN + 4];

  const long long p = blockIdx.z;
  A += p * strideA;
  B += p * strideB;
  C += p * strideC;
  const int t = threadIdx.x;
  const int tx = t % (BN / TN), ty = t / (BN / TN);
  const int row0 = blockIdx.y * BM, col0 = blockIdx.x * BN;

  float ra[LA], rb[LB];
  float acc[TM][TN];
#pragma unroll
  for (int i = 0; i < TM; i++)
#pragma unroll
    for (int j = 0; j < TN; j++) acc[i][j] = 0.0f;

  auto load = [&](int k0) {
#pragma unroll
    for (int j = 0; j < LA; j++) {
      int e = t + NT * j;
      int r = transA ? e % BM : e / BK;
      int c = transA ? e / BM : e % BK;
      int gi = row0 + r, gk = k0 + c;
      ra[j] = (gi < m && gk < k) ? (transA ? A[(long long)gk * m + gi] : A[(long long)gi * k + gk]) : 0.0f;
    }
#pragma unroll
    for (int j = 0; j < LB; j++) {
      int e = t + NT * j;
      int c = transB ? e / BK : e % BN;  // column of op(B) within the tile
      int r = transB ? e % BK : e / BN;  // k within the slice
      int gj = col0 + c, gk = k0 + r;
      rb[j] = (gj < n && gk < k) ? (transB ? B[(long long)gj * k + gk] : B[(long long)gk * n + gj]) : 0.0f;
    }
  };
  auto store = [&](int buf) {
#pragma unroll
    for (int j = 0; j < LA; j++) {
      int e = t + NT * j;
      int r = transA ? e % BM : e / BK;
      int c = transA ? e / BM : e % BK;
      As[buf][c][r] = ra[j];
    }
#pragma unroll
    for (int j = 0; j < LB; j++) {
      int e = t + NT * j;
      int c = transB ? e / BK : e % BN;
      int r = transB ? e % BK : e / BN;
      Bs[buf][r][c] = rb[j];
    }
  };

  const int slices = (k + BK - 1) / BK;
  load(0);
  store(0);
  __syncthreads();
  for (int s = 0; s < slices; s++) {
    const int buf = s & 1;
    if (s + 1 < slices) load((s + 1) * BK);
#pragma unroll
    for (int kk = 0; kk < BK; kk++) {
      float a[TM], b[TN];
#pragma unroll
      for (int g = 0; g < QM; g++) {
        float4 v = *reinterpret_cast<const float4*>(&As[buf][kk][g * SM + ty * 4]);
        a[g * 4 + 0] = v.x; a[g * 4 + 1] = v.y; a[g * 4 + 2] = v.z; a[g * 4 + 3] = v.w;
      }
#pragma unroll
      for (int h = 0; h < QN; h++) {
        float4 v = *reinterpret_cast<const float4*>(&Bs[buf][kk][h * SN + tx * 4]);
        b[h * 4 + 0] = v.x; b[h * 4 + 1] = v.y; b[h * 4 + 2] = v.z; b[h * 4 + 3] = v.w;
      }
#pragma unroll
      for (int i = 0; i < TM; i++)
#pragma unroll
        for (int j = 0; j < TN; j++) acc[i][j] += a[i] * b[j];
    }
    if (s + 1 < slices) store(buf ^ 1);
    __syncthreads();
  }

#pragma unroll
  for (int g = 0; g < QM; g++)
#pragma unroll
    for (int r = 0; r < 4; r++) {
      const int gi = row0 + g * SM + ty * 4 + r;
      if (gi >= m) continue;
#pragma unroll
      for (int h = 0; h < QN; h++)
#pragma unroll
        for (int s = 0; s < 4; s++) {
          const int gj = col0 + h * SN + tx * 4 + s;
          if (gj < n) {
            float* cp = C + (long long)gi * n + gj;
            const float v = alpha * acc[g * 4 + r][h * 4 + s];
            *cp = (beta == 0.0f) ? v : v + beta * *cp;
          }
        }
    }
}

extern "C" __global__ void __launch_bounds__(256, 2)
sgemm_128x128(int transA, int transB, int m, int n, int k, float alpha, const float* A, long long strideA,
              const float* B, long long strideB, float beta, float* C, long long strideC) {
  sgemm_tile<128, 128, 8, 8, 8>(transA, transB, m, n, k, alpha, A, strideA, B, strideB, beta, C, strideC);
}

extern "C" __global__ void __launch_bounds__(256)
sgemm_64x64(int transA, int transB, int m, int n, int k, float alpha, const float* A, long long strideA,
            const float* B, long long strideB, float beta, float* C, long long strideC) {
  sgemm_tile<64, 64, 8, 4, 4>(transA, transB, m, n, k, alpha, A, strideA, B, strideB, beta, C, strideC);
}
