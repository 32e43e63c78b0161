package org.nnstm.backend.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The auto backend's notice and the cuda error: one short line, not JCuda's loader message (no GPU needed). */
class CudaReasonTest {
  @Test
  void missingDriverIsOneShortLine() {
    UnsatisfiedLinkError e = new UnsatisfiedLinkError("Error while loading native library \"JCudaDriver-12.6.0-linux"
        + "-x86_64\"\nOperating system name: Linux\nStack trace from the attempt to load the library as a resource:\n"
        + "java.lang.UnsatisfiedLinkError: /tmp/libJCudaDriver-12.6.0-linux-x86_64.so: libcuda.so.1: cannot open"
        + " shared object file: No such file or directory\n\tat java.base/jdk.internal.loader.NativeLibraries.load");
    assertEquals("no NVIDIA driver (libcuda.so.1 not found)", CudaBackend.shortReason(e));
    UnsatisfiedLinkError other = new UnsatisfiedLinkError("/tmp/libJCublas2.so: libcublas.so.12: cannot open shared"
        + " object file: No such file or directory");
    assertEquals("CUDA library libcublas.so.12 not found", CudaBackend.shortReason(other));
    assertEquals("no CUDA device: IllegalStateException: first", CudaBackend.shortReason(
        new IllegalStateException("first\nsecond")));
  }
}
