// sgemm_variants.cu: standalone timing harness for tile-shape experiments on the SGEMM template in
// ../gemm.cu (not shipped as PTX; tools/build-ptx compiles only cuda/*.cu).
// Build and run on a GPU machine: nvcc -O3 -arch=sm_90 -o /tmp/sgemm_variants sgemm_variants.cu && /tmp/sgemm_variants
// Prints ms and GFLOP/s per (variant, shape), each the mean of timed launches after warm-ups (CUDA events).
#include "../gemm.cu"  // also defines the shipped sgemm_* kernels
// Results on an H100 (2026-11-22) are in benchmarks/RESULTS.md.

#define VARIANT(NAME, BM, BN, BK, TM, TN, MINB)                                                        \
  extern "C" __global__ void __launch_bounds__((BM / TM) * (BN / TN), MINB)                           \
  NAME(int ta, int tb, int m, int n, int k, float alpha, const float* A, long long sA, const float* B,  \
       long long sB, float beta, float* C, long long sC) {                                             \
    sgemm_tile<BM, BN, BK, TM, TN>(ta, tb, m, n, k, alpha, A, sA, B, sB, beta, C, sC);                \
  }
VARIANT(v128_bk8, 128, 128, 8, 8, 8, 2)
VARIANT(v128_bk16, 128, 128, 16, 8, 8, 1)
VARIANT(v128x64_bk8, 128, 64, 8, 8, 4, 2)
VARIANT(v64_bk8, 64, 64, 8, 4, 4, 2)
VARIANT(v64_bk16, 64, 64, 16, 4, 4, 2)
VARIANT(v64_bk32, 64, 64, 32, 4, 4, 2)
VARIANT(v32_bk32, 32, 32, 32, 4, 4, 4)

typedef void (*Kernel)(int, int, int, int, int, float, const float*, long long, const float*, long long, float,
                       float*, long long);

static void run(const char* name, Kernel f, int bm, int bn, int threads, int ta, int tb, int m, int n, int k,
                int batch, bool bcastA, float* A, float* B, float* C) {
  dim3 grid((n + bn - 1) / bn, (m + bm - 1) / bm, batch);
  long long sA = bcastA ? 0 : (long long)m * k, sB = (long long)k * n, sC = (long long)m * n;
  for (int i = 0; i < 3; i++) f<<<grid, threads>>>(ta, tb, m, n, k, 1.f, A, sA, B, sB, 0.f, C, sC);
  cudaEvent_t e0, e1;
  cudaEventCreate(&e0);
  cudaEventCreate(&e1);
  int reps = m >= 4096 ? 10 : 100;
  cudaEventRecord(e0);
  for (int i = 0; i < reps; i++) f<<<grid, threads>>>(ta, tb, m, n, k, 1.f, A, sA, B, sB, 0.f, C, sC);
  cudaEventRecord(e1);
  NNSTM_CUDA_CHECK(cudaEventSynchronize(e1));
  float ms;
  cudaEventElapsedTime(&ms, e0, e1);
  ms /= reps;
  printf("%-12s ta=%d tb=%d %5dx%5dx%5d K=%2d  %8.4f ms  %8.0f GFLOP/s\n", name, ta, tb, m, n, k, batch, ms,
         2.0 * m * n * k * batch / ms / 1e6);
}

int main() {
  float *A, *B, *C;
  size_t big = 4096ull * 4096 * 2;
  NNSTM_CUDA_CHECK(cudaMalloc(&A, big * 4));
  NNSTM_CUDA_CHECK(cudaMalloc(&B, big * 4));
  NNSTM_CUDA_CHECK(cudaMalloc(&C, big * 4));
  cudaMemset(A, 0, big * 4);
  cudaMemset(B, 0, big * 4);
  struct { const char* name; Kernel f; int bm, bn, threads; } v[] = {
      {"v128_bk8", v128_bk8, 128, 128, 256},    {"v128_bk16", v128_bk16, 128, 128, 256},
      {"v128x64_bk8", v128x64_bk8, 128, 64, 256}, {"v64_bk8", v64_bk8, 64, 64, 256},
      {"v64_bk16", v64_bk16, 64, 64, 256},      {"v64_bk32", v64_bk32, 64, 64, 256},
      {"v32_bk32", v32_bk32, 32, 32, 64}};
  for (auto& x : v) {
    if (x.bm >= 128) {
      run(x.name, x.f, x.bm, x.bn, x.threads, 0, 0, 4096, 4096, 4096, 1, false, A, B, C);
      run(x.name, x.f, x.bm, x.bn, x.threads, 0, 1, 4096, 4096, 4096, 1, false, A, B, C);
    }
    run(x.name, x.f, x.bm, x.bn, x.threads, 0, 1, 64, 784, 784, 1, true, A, B, C);
    run(x.name, x.f, x.bm, x.bn, x.threads, 0, 1, 64, 784, 784, 41, true, A, B, C);
    run(x.name, x.f, x.bm, x.bn, x.threads, 1, 0, 784, 784, 64, 41, false, A, B, C);
    run(x.name, x.f, x.bm, x.bn, x.threads, 0, 0, 64, 784, 784, 41, false, A, B, C);
  }
  return 0;
}
