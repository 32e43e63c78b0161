package org.nnstm.backend.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Every cuda/*.cu has a committed PTX resource whose header hash matches the sources: sha256 of the .cu
 * bytes, then common.cuh, then the nvcc flags (tools/build-ptx writes it). Needs only the sources, no
 * nvcc; skips where the cuda/ folder is absent (e.g. a bundled test jar).
 */
class PtxFreshnessTest {
  private static final String BASE_FLAGS = "-ptx -arch=compute_80 -O3";
  private static final String HEADER = "// nnstm-ptx-sha256: ";

  @Test
  void everyKernelSourceHasAFreshCommittedPtx() throws IOException {
    Path cuda = Paths.get("cuda");
    Assumptions.assumeTrue(Files.isRegularFile(cuda.resolve("common.cuh")),
        "cuda/ sources not present in " + Paths.get("").toAbsolutePath());
    byte[] common = Files.readAllBytes(cuda.resolve("common.cuh"));
    List<Path> sources;
    try (Stream<Path> s = Files.list(cuda)) {
      sources = s.filter(p -> p.toString().endsWith(".cu")).sorted().collect(Collectors.toList());
    }
    assertFalse(sources.isEmpty(), "no .cu files in cuda/");
    for (Path cu : sources) {
      String name = cu.getFileName().toString().replaceFirst("\\.cu$", "");
      byte[] source = Files.readAllBytes(cu);
      String flags = BASE_FLAGS + extraFlags(new String(source, StandardCharsets.UTF_8));
      String expected = sha256(source, common, flags.getBytes(StandardCharsets.UTF_8));
      String firstLine = firstLineOfResource("/org/nnstm/cuda/" + name + ".ptx");
      assertNotNull(firstLine, name + ".ptx is missing: run tools/build-ptx and commit the PTX");
      assertEquals(HEADER + expected + " flags: " + flags, firstLine,
          name + ".ptx is stale (cuda/" + name + ".cu, common.cuh or flags changed): run tools/build-ptx");
    }
  }

  @Test
  void hashDependsOnEveryInput() {
    byte[] a = {1, 2};
    byte[] b = {3};
    byte[] f = {4};
    String h = sha256(a, b, f);
    assertEquals(64, h.length());
    assertTrue(!h.equals(sha256(new byte[] {1, 2, 0}, b, f)) && !h.equals(sha256(a, b, new byte[] {5})),
        "hash must change with the source and with the flags");
  }

  private static String extraFlags(String source) {
    for (String line : source.split("\n")) {
      if (line.startsWith("// nvcc-flags:")) {
        String extra = line.substring("// nvcc-flags:".length()).trim();
        return extra.isEmpty() ? "" : " " + extra;
      }
    }
    return "";
  }

  private static String firstLineOfResource(String resource) throws IOException {
    try (InputStream in = PtxFreshnessTest.class.getResourceAsStream(resource)) {
      if (in == null) {
        return null;
      }
      ByteArrayOutputStream line = new ByteArrayOutputStream();
      for (int c = in.read(); c != -1 && c != '\n'; c = in.read()) {
        line.write(c);
      }
      return line.toString(StandardCharsets.UTF_8);
    }
  }

  static String sha256(byte[]... parts) {
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      for (byte[] p : parts) {
        md.update(p);
      }
      StringBuilder sb = new StringBuilder();
      for (byte x : md.digest()) {
        sb.append(String.format("%02x", x));
      }
      return sb.toString();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
