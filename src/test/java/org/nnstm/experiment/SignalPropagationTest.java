package org.nnstm.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nnstm.cli.Main;
import org.nnstm.meanfield.TwoInputMaps;
import org.nnstm.tensor.Activation;
import org.nnstm.tensor.Backend;
import org.nnstm.tensor.Backends;
import org.nnstm.testing.Tolerance;

/**
 * Signal propagation at small sizes: the two samplers agree, the measurements agree with mean field
 * within stated tolerances (the finite-width corrections grow like depth / width), the ordered-phase
 * correlation depth matches xi_c, and the across-network variance falls like 1/width.
 */
class SignalPropagationTest {
  /** Two fixed, MNIST-like inputs in [0, 1] (sparse, overlapping). */
  private static float[][] inputs() {
    SplittableRandom rng = new SplittableRandom(42);
    float[][] x = new float[2][784];
    for (int i = 0; i < 784; i++) {
      boolean common = rng.nextDouble() < 0.12;
      x[0][i] = common || rng.nextDouble() < 0.08 ? (float) rng.nextDouble() : 0f;
      x[1][i] = common || rng.nextDouble() < 0.08 ? (float) rng.nextDouble() : 0f;
    }
    return x;
  }

  private static SignalPropagation.Settings settings(double[] varW, int depth, int[] widths, int networks,
                                                     SignalPropagation.Method method) {
    float[][] x = inputs();
    return new SignalPropagation.Settings(varW, 0.05, depth, widths, networks, x[0], x[1], 7, 1.0, method);
  }

  private static SignalPropagation.Settings settings(double[] varW, int depth, int[] widths, int networks,
                                                     SignalPropagation.Method method, Activation phi) {
    float[][] x = inputs();
    return new SignalPropagation.Settings(varW, 0.05, depth, widths, networks, x[0], x[1], 7, 1.0, method, phi);
  }

  @Test
  void otherActivationsAgreeWithTheirMeanField() {
    // the same bounds as tanh's (width 400, depth 15: 4 SE, or 3% of q / 0.03 of c; ordered xi_fit within 10% of
    // xi_c): erf at sigma_w^2 = 0.7 ordered (xi_c 2.78) and at 3.0 chaotic, relu at 1.5 ordered (xi_c 3.48)
    int depth = 15;
    Object[][] cases = {{Activation.ERF, new double[] {0.7, 3.0}}, {Activation.RELU, new double[] {1.5}}};
    try (Backend be = Backends.cpu(1)) {
      for (Object[] cs : cases) {
        Activation phi = (Activation) cs[0];
        SignalPropagation.Result r = SignalPropagation.run(be, settings((double[]) cs[1], depth, new int[] {400}, 100,
            SignalPropagation.Method.PROJECTION, phi), line -> { });
        for (SignalPropagation.LayerRow x : r.rows()) {
          if (x.layer() == 0) {
            continue;
          }
          double dq = Math.abs(x.q() - x.qMeanField());
          assertTrue(dq <= 4 * x.qSe() || dq <= 0.03 * x.qMeanField(), phi + " q: " + x);
          double dc = Math.abs(x.c() - x.cMeanField());
          assertTrue(dc <= 4 * x.cSe() || dc <= 0.03, phi + " c: " + x);
        }
        // the mean-field columns are this activation's maps, not tanh's
        meanFieldColumnsAre(r, phi, (double[]) cs[1], depth);
        SignalPropagation.DepthFit ordered = r.fits().get(0);
        assertTrue(ordered.lastLayer() >= 5, phi + " ordered fit " + ordered);
        // the fit on the measured c^l against the same fit on the mean-field c^l over the same layers (10%)
        double[] cMf = new double[ordered.lastLayer() + 1];
        for (int l = 0; l < cMf.length; l++) {
          cMf[l] = r.rows().get(l).cMeanField();
        }
        double xiMf = SignalPropagation.fitDepth(cMf, new double[cMf.length], ordered.cStar(), new int[2]);
        assertTrue(Math.abs(ordered.xiFit() - xiMf) <= 0.1 * xiMf, phi + " fit " + ordered + " vs mean field's " + xiMf);
        if (phi == Activation.ERF) {
          // smooth phi: the early layers already decay at the asymptotic rate (as tanh's test checks)
          assertTrue(Math.abs(ordered.xiFit() - ordered.xiC()) <= 0.1 * ordered.xiC(), phi + " fit " + ordered);
        }
        // relu's c-map has a (1 - c)^(3/2) term: its local depth -1 / ln((1 - c^{l+1}) / (1 - c^l)) reaches
        // xi_c only slowly (3.1 at layer 9, 3.3 at 15, 3.46 at 30 for xi_c 3.48), so no xi_c check for it
      }
    }
  }

  /** The mean-field columns of a result against {@link TwoInputMaps} iterated here with the given activation. */
  private static void meanFieldColumnsAre(SignalPropagation.Result r, Activation phi, double[] varW, int depth) {
    float[][] x = inputs();
    double q1 = 0;
    double q2 = 0;
    double q12 = 0;
    for (int i = 0; i < x[0].length; i++) {
      q1 += (double) x[0][i] * x[0][i];
      q2 += (double) x[1][i] * x[1][i];
      q12 += (double) x[0][i] * x[1][i];
    }
    int n0 = x[0].length;
    TwoInputMaps.Moments in = new TwoInputMaps.Moments(q1 / n0, q2 / n0, q12 / n0);
    int row = 0;
    for (double w : varW) {
      TwoInputMaps.Moments[] mf = TwoInputMaps.iterate(phi, w, 0.05, in, depth);
      for (int l = 0; l <= depth; l++, row++) {
        SignalPropagation.LayerRow got = r.rows().get(row);
        assertEquals(mf[l].meanQ(), got.qMeanField(), 0, phi + " q_mf " + got);
        assertEquals(mf[l].c(), got.cMeanField(), 0, phi + " c_mf " + got);
      }
    }
  }

  @Test
  void networksAndProjectionAgreeForErf() {
    try (Backend be = Backends.cpu(1)) {
      SignalPropagation.Result a = SignalPropagation.run(be, settings(new double[] {2.0}, 6, new int[] {64}, 60,
          SignalPropagation.Method.NETWORKS, Activation.ERF), line -> { });
      SignalPropagation.Result b = SignalPropagation.run(be, settings(new double[] {2.0}, 6, new int[] {64}, 60,
          SignalPropagation.Method.PROJECTION, Activation.ERF), line -> { });
      for (int l = 1; l <= 6; l++) {
        SignalPropagation.LayerRow x = a.rows().get(l);
        SignalPropagation.LayerRow y = b.rows().get(l);
        assertTrue(Math.abs(x.q() - y.q()) <= 4 * Math.hypot(x.qSe(), y.qSe()), "q layer " + l + ": " + x + " vs " + y);
        assertTrue(Math.abs(x.c() - y.c()) <= 4 * Math.hypot(x.cSe(), y.cSe()), "c layer " + l + ": " + x + " vs " + y);
      }
    }
  }

  @Test
  void unboundedLengthMapGivesNaNDepthsNotAnError() {
    // relu at sigma_w^2 = 3: q^l grows like (3/2)^l, no fixed point; the measurements are still reported
    try (Backend be = Backends.cpu(1)) {
      SignalPropagation.Result r = SignalPropagation.run(be, settings(new double[] {3.0}, 8, new int[] {200}, 40,
          SignalPropagation.Method.PROJECTION, Activation.RELU), line -> { });
      SignalPropagation.DepthFit f = r.fits().get(0);
      assertTrue(Double.isNaN(f.xiC()) && Double.isNaN(f.cStar()) && Double.isNaN(f.xiFit()), f.toString());
      SignalPropagation.LayerRow last = r.rows().get(8);
      double dq = Math.abs(last.q() - last.qMeanField());
      assertTrue(dq <= 4 * last.qSe() || dq <= 0.05 * last.qMeanField(), last.toString());
      assertTrue(last.q() > 10 * r.rows().get(1).q(), last.toString());
    }
  }

  @Test
  void networksAndProjectionAgree() {
    try (Backend be = Backends.cpu(1)) {
      SignalPropagation.Result a = SignalPropagation.run(be, settings(new double[] {1.5}, 8, new int[] {64}, 60,
          SignalPropagation.Method.NETWORKS), line -> { });
      SignalPropagation.Result b = SignalPropagation.run(be, settings(new double[] {1.5}, 8, new int[] {64}, 60,
          SignalPropagation.Method.PROJECTION), line -> { });
      for (int l = 1; l <= 8; l++) {
        SignalPropagation.LayerRow x = a.rows().get(l);
        SignalPropagation.LayerRow y = b.rows().get(l);
        assertTrue(Math.abs(x.q() - y.q()) <= 4 * Math.hypot(x.qSe(), y.qSe()), "q layer " + l + ": " + x + " vs " + y);
        assertTrue(Math.abs(x.c() - y.c()) <= 4 * Math.hypot(x.cSe(), y.cSe()), "c layer " + l + ": " + x + " vs " + y);
        assertEquals(x.qMeanField(), y.qMeanField());
      }
    }
  }

  @Test
  void measurementsAgreeWithMeanField() {
    int depth = 15;
    try (Backend be = Backends.cpu(1)) {
      SignalPropagation.Result r = SignalPropagation.run(be, settings(new double[] {1.0, 3.0}, depth,
          new int[] {400}, 100, SignalPropagation.Method.PROJECTION), line -> { });
      for (SignalPropagation.LayerRow x : r.rows()) {
        if (x.layer() == 0) {
          continue;
        }
        // width 400, depth 15: within 4 standard errors, or 3% (q) / 0.03 (c) of mean field
        double dq = Math.abs(x.q() - x.qMeanField());
        assertTrue(dq <= 4 * x.qSe() || dq <= 0.03 * x.qMeanField(), "q: " + x);
        double dc = Math.abs(x.c() - x.cMeanField());
        assertTrue(dc <= 4 * x.cSe() || dc <= 0.03, "c: " + x);
      }
      SignalPropagation.DepthFit ordered = r.fits().get(0);
      assertEquals(1.0, ordered.varW());
      assertTrue(Math.abs(ordered.xiFit() - ordered.xiC()) <= 0.1 * ordered.xiC(), "ordered fit " + ordered);
      assertTrue(ordered.lastLayer() >= 5, "ordered fit " + ordered);
    }
  }

  @Test
  void acrossNetworkVarianceFallsLikeOneOverWidth() {
    SignalPropagation.Settings s = settings(new double[] {1.0, 3.0}, 10, new int[] {50, 200}, 400,
        SignalPropagation.Method.PROJECTION);
    try (Backend be = Backends.cpu(1)) {
      SignalPropagation.Result r = SignalPropagation.run(be, s, line -> { });
      double[] slopes = SignalPropagation.varianceSlopes(s, r);
      // 400 networks: the variance's relative standard error is sqrt(2/399) = 7%, the slope's about 0.07
      for (double slope : slopes) {
        assertTrue(Math.abs(slope + 1) <= 0.25, "log-log slope " + slope);
      }
    }
  }

  @Test
  void depthFitAndSlopeOnExactCurves() {
    double[] c = new double[30];
    double[] se = new double[30];
    for (int l = 0; l < c.length; l++) {
      c[l] = 1 - 0.3 * Math.exp(-l / 4.0);
    }
    int[] range = new int[2];
    Tolerance.assertClose("xi", 4.0, SignalPropagation.fitDepth(c, se, 1.0, range), 0, 1e-9);
    assertEquals(29, range[1]);
    // noise floor: layers whose distance to c* is within 3 SE end the fit
    se[10] = 1;
    SignalPropagation.fitDepth(c, se, 1.0, range);
    assertEquals(9, range[1]);
    se[3] = 1;
    assertTrue(Double.isNaN(SignalPropagation.fitDepth(c, se, 1.0, range)));
    Tolerance.assertClose("slope", -1.0, SignalPropagation.logLogSlope(new double[] {100, 400, 1600},
        new double[] {3.0 / 100, 3.0 / 400, 3.0 / 1600}), 0, 1e-12);
    double[] st = SignalPropagation.stats(new double[] {1, 2, 3, 4});
    Tolerance.assertClose("stats", new double[] {2.5, Math.sqrt(5.0 / 3 / 4), 5.0 / 3}, st, 0, 1e-15);
  }

  @Test
  void cliWritesFilesAndJsonKeys(@TempDir Path dir) throws Exception {
    String data = org.nnstm.cli.TestData.mnist().toString();
    Path out = dir.resolve("p");
    StringWriter sink = new StringWriter();
    StringWriter err = new StringWriter();
    picocli.CommandLine cl = Main.commandLine();
    cl.setOut(new java.io.PrintWriter(sink));
    cl.setErr(new java.io.PrintWriter(err));
    assertEquals(0, cl.execute("analyze", "propagation", "--backend", "cpu", "--data", data, "--var-w", "1.0,3.0",
        "--depth", "4", "--width", "20,40", "--networks", "8", "--inputs", "mnist:0,1", "--json", "--out",
        out.toString()), err.toString());
    List<String> lines = sink.toString().lines().toList();
    // 2 var_w x 2 widths x 5 layers (0..4), then 4 fits
    assertEquals(2 * 2 * 5 + 4, lines.size(), sink.toString());
    assertTrue(lines.get(0).matches("\\{\"var_w\": 1\\.0, \"width\": 20, \"layer\": 0, \"q\": [^,]+, \"q_se\": [^,]+, "
        + "\"q_meanfield\": [^,]+, \"c\": [^,]+, \"c_se\": [^,]+, \"c_meanfield\": [^,]+, \"q_var\": [^,]+\\}"), lines.get(0));
    assertTrue(lines.get(20).matches("\\{\"var_w\": 1\\.0, \"width\": 20, \"xi_fit\": [^,]+, \"xi_c\": [^,]+\\}"),
        lines.get(20));
    for (String f : new String[] {"propagation.csv", "propagation-depth.csv", "propagation-width.csv",
        "propagation.hdf5", "propagation-q.png", "propagation-c.png", "propagation-width.png"}) {
      assertTrue(Files.size(out.resolve(f)) > 100, f);
    }
    assertEquals(21, Files.readAllLines(out.resolve("propagation.csv")).size());
    assertEquals("tanh", org.nnstm.io.Hdf5.attributes(out.resolve("propagation.hdf5")).get("activation"));
    Path erf = dir.resolve("erf");
    assertEquals(0, cl.execute("analyze", "propagation", "--backend", "cpu", "--data", data, "--var-w", "2.0",
        "--depth", "3", "--width", "20", "--networks", "4", "--activation", "erf", "--out", erf.toString()),
        err.toString());
    assertEquals("erf", org.nnstm.io.Hdf5.attributes(erf.resolve("propagation.hdf5")).get("activation"));
    Path never = dir.resolve("never");
    String[][] bad = {
        {"--inputs", "mnist:3,3"}, {"--inputs", "cifar:0,1"}, {"--networks", "1"}, {"--method", "exact"},
        {"--width", "0"}, {"--var-w", "-1"}, {"--depth", "0"}, {"--inputs", "mnist:0,99999999"},
        {"--activation", "swish"},
    };
    for (String[] b : bad) {
      java.util.List<String> args = new java.util.ArrayList<>(List.of("analyze", "propagation", "--backend", "cpu",
          "--data", data, "--var-w", "1.0", "--depth", "3", "--width", "10", "--networks", "4", "--out",
          never.toString()));
      for (int i = 0; i < b.length; i += 2) {
        int at = args.indexOf(b[i]);
        if (at >= 0) {
          args.set(at + 1, b[i + 1]);
        } else {
          args.add(b[i]);
          args.add(b[i + 1]);
        }
      }
      StringWriter e = new StringWriter();
      picocli.CommandLine c2 = Main.commandLine();
      c2.setOut(new java.io.PrintWriter(new StringWriter()));
      c2.setErr(new java.io.PrintWriter(e));
      assertEquals(2, c2.execute(args.toArray(new String[0])), String.join(" ", args) + ": " + e);
      assertTrue(!Files.exists(never.resolve("propagation.csv")), String.join(" ", args));
    }
  }
}
