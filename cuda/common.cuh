// common.cuh: shared helpers for the nnstm CUDA kernels (cuda/*.cu).
//
// Holds: NNSTM_CUDA_CHECK (error check with file and line, for host-side harnesses that include
// these sources), grid-stride loop helpers, and the Philox4x32-10 block function shared with
// org.nnstm.tensor.Philox. Every kernel in this folder is extern "C" and is compiled to PTX by
// tools/build-ptx (nvcc -ptx -arch=compute_80 -O3 plus per-file flags named in a
// "// nvcc-flags:" line), then loaded at run time through the CUDA driver API by
// org.nnstm.backend.cuda.PtxModule.
#pragma once

#include <stdint.h>

#if !defined(__CUDACC_RTC__)
#include <stdio.h>
#include <stdlib.h>
// Checks a CUDA runtime or driver return code; prints file and line and aborts on failure.
#define NNSTM_CUDA_CHECK(call)                                                         \
  do {                                                                                 \
    int nnstm_err_ = (int)(call);                                                      \
    if (nnstm_err_ != 0) {                                                             \
      fprintf(stderr, "CUDA error %d at %s:%d: %s\n", nnstm_err_, __FILE__, __LINE__, #call); \
      exit(1);                                                                         \
    }                                                                                  \
  } while (0)
#endif

// First index and stride of a 1-D grid-stride loop over long extents.
#define NNSTM_GRID_STRIDE_LOOP(i, n)                                                   \
  for (long long i = (long long)blockIdx.x * blockDim.x + threadIdx.x; i < (n);        \
       i += (long long)blockDim.x * gridDim.x)

// Philox4x32-10 (Salmon et al., SC 2011): encrypts counter (c0..c3) under key (k0, k1); the exact
// mirror of org.nnstm.tensor.Philox.block (same round constants, same word order).
__device__ __forceinline__ void philox4x32_10(uint32_t c[4], uint32_t k0, uint32_t k1) {
  const uint32_t M0 = 0xD2511F53u, M1 = 0xCD9E8D57u;
  const uint32_t W0 = 0x9E3779B9u, W1 = 0xBB67AE85u;
#pragma unroll
  for (int round = 0; round < 10; round++) {
    uint32_t hi0 = __umulhi(M0, c[0]);
    uint32_t lo0 = M0 * c[0];
    uint32_t hi1 = __umulhi(M1, c[2]);
    uint32_t lo1 = M1 * c[2];
    uint32_t n0 = hi1 ^ c[1] ^ k0;
    uint32_t n2 = hi0 ^ c[3] ^ k1;
    c[0] = n0;
    c[1] = lo1;
    c[2] = n2;
    c[3] = lo0;
    k0 += W0;
    k1 += W1;
  }
}
