package org.nnstm.backend.cuda;

import java.io.IOException;
import java.io.InputStream;
import java.util.HashMap;
import java.util.Map;
import jcuda.driver.CUfunction;
import jcuda.driver.CUmodule;
import jcuda.driver.JCudaDriver;

/**
 * One PTX module from the class-path resource {@code /org/nnstm/cuda/<name>.ptx} (built from
 * {@code cuda/<name>.cu} by tools/build-ptx), loaded with cuModuleLoadData (the driver JIT-compiles it
 * for the current device) into the current context. Functions are looked up once and cached.
 */
final class PtxModule {
  private final String name;
  private final CUmodule module = new CUmodule();
  private final Map<String, CUfunction> functions = new HashMap<>();

  PtxModule(String name) {
    this.name = name;
    String resource = "/org/nnstm/cuda/" + name + ".ptx";
    byte[] ptx;
    try (InputStream in = PtxModule.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("PTX resource " + resource + " is missing from the class path (run tools/build-ptx)");
      }
      ptx = in.readAllBytes();
    } catch (IOException e) {
      throw new IllegalStateException("cannot read PTX resource " + resource, e);
    }
    byte[] zeroTerminated = new byte[ptx.length + 1];
    System.arraycopy(ptx, 0, zeroTerminated, 0, ptx.length);
    CudaBackend.check(JCudaDriver.cuModuleLoadData(module, zeroTerminated), "cuModuleLoadData " + name);
  }

  /** The kernel {@code function} of this module (an extern "C" name). */
  synchronized CUfunction function(String function) {
    return functions.computeIfAbsent(function, f -> {
      CUfunction fn = new CUfunction();
      CudaBackend.check(JCudaDriver.cuModuleGetFunction(fn, module, f), "cuModuleGetFunction " + f);
      return fn;
    });
  }

  String name() {
    return name;
  }

  void unload() {
    CudaBackend.check(JCudaDriver.cuModuleUnload(module), "cuModuleUnload " + name);
  }
}
