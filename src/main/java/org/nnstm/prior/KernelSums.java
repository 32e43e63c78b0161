package org.nnstm.prior;

import java.util.Arrays;
import java.util.stream.IntStream;

/**
 * The KDE inner loop on the CPU: for whitened samples z_i (n x d) with weights w_i (normalised to sum 1, or
 * uniform) and whitened points y_j, computes for each j a shift s_j and a scaled sum S_j with
 *
 * <pre>
 *   sum_i w_i exp(-|z_i - y_j|^2 / 2) = S_j * exp(-s_j / 2)      (uniform weights: the sum without the 1/n
 *                                                                 factor is S_j, then divided by n)
 * </pre>
 *
 * where s_j is the smallest squared distance found for point j, so the largest term is 1 and S_j is in
 * [w_ref, 1 + ...] whatever the distance (log-sum-exp form). This is the boundary a GPU backend can take over.
 *
 * <p>Skipping rule (the accuracy bound). Samples are sorted by their first whitened coordinate. For point
 * y, let r be a sample near y in that order (the nearest by full distance among a few neighbours; in 1-D the
 * exact nearest), D = |z_r - y|^2 and w_r its weight. Any sample with (z_i1 - y_1)^2 > R, where
 * R = D + 2 (ln(1/eps) + ln(1/w_r)) and eps = 1e-14, has kernel exp(-|z_i - y|^2/2) < exp(-R/2) since
 * |z_i - y|^2 >= (z_i1 - y_1)^2. The skipped terms together weigh at most sum_skipped w_i exp(-R/2) <=
 * exp(-R/2) = eps w_r exp(-D/2) <= eps * (the full sum), because the term of r alone is w_r exp(-D/2). So
 * summing only the window |z_i1 - y_1| <= sqrt(R) (found by binary search) changes the sum by at most
 * 1e-14 relative, below the 1e-12 acceptance. Exponentials use {@link FastExp} (a few ulp).
 *
 * <p>1-D block expansion (a Gauss transform in the style of Greengard and Strain 1991). The sorted samples
 * are cut into blocks of width at most {@value #BLOCK_WIDTH} (whitened units) with centre c and half-width
 * h = max |u_i|, u_i = z_i - c. For a point y, v = y - c, each kernel is exp(-(u - v)^2/2) =
 * exp(-v^2/2) exp(-u^2/2) exp(u v), and exp(u v) = sum_{k<P} (u v)^k / k! + remainder with
 * |remainder| <= (|u v|)^P / P! e^{|u v|}. With the precomputed moments A_k = sum_i w_i exp(-u_i^2/2) u_i^k / k!
 * the block sums to exp(-v^2/2) sum_{k<P} A_k v^k (Horner). It is used only when h |v| <= 1 and the block
 * holds at least {@value #MIN_EXPANDED} samples; then each term's truncation error relative to the exact
 * term e^{u v} is at most e^{2} / P! < 3e-24 (P = {@value #TERMS}), and rounding in the moments and in Horner
 * is amplified at most by sum|terms| / sum terms <= e^{2 h |v|} <= e^2 ~ 7.4, i.e. a few 1e-15 relative.
 * Otherwise the block is summed directly. Blocks are visited whenever they overlap the window (extra exact
 * terms only help).
 *
 * <p>2-D cell grid (d >= 2). The samples are also sorted into square cells of side {@value #CELL} over their
 * first two whitened coordinates; a point's window is then the disk (z_1 - y_1)^2 + (z_2 - y_2)^2 <= R instead of
 * the strip |z_1 - y_1| <= sqrt(R) (same bound, about 4x fewer pairs for points inside the data), visited as one
 * contiguous run of cells per cell row, and the reference sample comes from the nearest non-empty ring of
 * cells. When far outliers would make the grid larger than {@value #MAX_CELLS_PER_SAMPLE} cells per sample, the
 * strip is used.
 *
 * <p>2-D far field (d = 2). A cell c with at least {@value #MIN_HERMITE_CELL} samples keeps the moments
 * A_kl = sum_i w_i u_i1^k u_i2^l / (k! l!), k, l < P = {@value #HERMITE}, u_i = z_i - (cell centre), so
 * |u_i1|, |u_i2| <= h = 1/2. At a point with v = y - (cell centre), the generating function of the probabilists'
 * Hermite polynomials gives exp(-|v - u|^2 / 2) = exp(-|v|^2/2) sum_kl He_k(v1) He_l(v2) u1^k u2^l / (k! l!), so
 * the cell sums to exp(-|v|^2/2) sum_kl A_kl He_k(v1) He_l(v2) up to truncation and rounding. Truncation:
 * by Cramer's inequality |He_k(x)| <= K sqrt(k!) exp(x^2/4) (K = 1.0865), each dimension's tail is at most
 * K exp(v_d^2/4) tau, tau = sum_{k>=P} h^k / sqrt(k!) < 7e-16, which bounds the cell's truncation error by
 * W_c (2 K e^{h^2/2} tau + K^2 tau^2) exp(-|v|^2/4) < 2e-15 W_c exp(-|v|^2/4) (W_c the cell's weight). Rounding:
 * the terms add up in absolute value to at most W_c K^2 (sum_k h^k / sqrt(k!))^2 exp(-|v|^2/4) < 3.6 W_c
 * exp(-|v|^2/4) after the factor exp(-|v|^2/2), and some 2P operations each round them, < 2e-14 W_c exp(-|v|^2/4).
 * The cell is expanded only when {@value #HERMITE_ERROR} W_c exp(-|v|^2/4) (about ten times both) is at most
 * {@value #HERMITE_SHARE} of the exact sum over the 3 x 3 cells around the point (computed first); with at
 * most a few hundred cells in a window the expansions change the point's sum by less than 1e-13 relative.
 * Measured: 10^5 x 10^4 in 2-D, sample-like points, 1.7x faster than the direct window (benchmarks/RESULTS.md).
 *
 * <p>Determinism: points are split into fixed chunks over the common fork-join pool; each point's sum is
 * computed by a single thread in ascending sample order, so results are independent of the thread count.
 */
final class KernelSums {
  private static final double LOG_INV_EPS = Math.log(1e14);
  /** Neighbours on each side (in first-coordinate order) examined to pick the reference sample. */
  private static final int REF_NEIGHBOURS = 8;
  private static final int CHUNK = 64;
  static final double BLOCK_WIDTH = 0.25;
  static final int TERMS = 24;
  static final int MIN_EXPANDED = 48;
  /** Cell side of the 2-D grid, whitened units (one kernel width). */
  static final double CELL = 1.0;
  /** Most cells the grid may have, per sample (beyond this, outliers would make it mostly empty). */
  static final int MAX_CELLS_PER_SAMPLE = 4;
  /** Hermite terms per dimension of a cell's far-field expansion (d = 2). */
  static final int HERMITE = 20;
  /** Fewest samples a cell needs before its expansion (HERMITE^2 multiply-adds) can pay. */
  static final int MIN_HERMITE_CELL = 32;
  /** Bound on truncation + rounding of one cell's expansion, per unit weight, times exp(|v|^2/4) (javadoc). */
  static final double HERMITE_ERROR = 2e-13;
  /** Each expanded cell may err by at most this fraction of the exact near sum. */
  static final double HERMITE_SHARE = 3e-16;

  private final int n;
  private final int d;
  /** First whitened coordinate, sorted ascending. */
  private final double[] first;
  /** All whitened coordinates in the same order, row-major n x d. */
  private final double[] z;
  /** Weights in the same order, or null for uniform. */
  private final double[] w;
  /** -ln(w_i) + ln(1/eps), per sample, or null for uniform. */
  private final double[] cutoff;
  private final double uniformCutoff;
  /** 1-D blocks: start index (blockStart[b] .. blockStart[b+1]), centre, half-width, moments (TERMS each). */
  private int[] blockStart;
  private int[] blockOf;
  private double[] blockCentre;
  private double[] blockHalfWidth;
  private double[] moments;
  /**
   * d >= 2: samples also sorted into square cells of side {@value #CELL} over the first two whitened coordinates
   * (cell (cx, cy) holds cellZ/cellW entries cellStart[cx * ny + cy] .. cellStart[cx * ny + cy + 1]), or null
   * when the grid would be too large (far outliers); then the first-coordinate strip is used.
   */
  private int[] cellStart;
  private double[] cellZ;
  private double[] cellW;
  private double[] cellCutoff;
  /** d = 2: offset of each cell's HERMITE^2 moments in {@link #hermiteMoments}, or -1; its total weight. */
  private int[] hermiteOffset;
  private double[] hermiteMoments;
  private double[] cellWeight;
  /** ln(HERMITE_ERROR W_c / HERMITE_SHARE) per cell: the expansion test without a log per point. */
  private double[] hermiteLogBound;
  /** Expansions evaluated so far (for tests: proves the far-field path ran). */
  private final java.util.concurrent.atomic.LongAdder hermiteUses = new java.util.concurrent.atomic.LongAdder();
  private double gridX0;
  private double gridY0;
  private int nx;
  private int ny;

  /**
   * @param whitened n x d row-major (not modified)
   * @param weights normalised weights (not modified) or null for uniform 1/n
   */
  KernelSums(double[] whitened, int n, int d, double[] weights) {
    this.n = n;
    this.d = d;
    if (d == 1 && weights == null) {
      // only the sorted values matter: a primitive sort gives the same array (Double.compare's order) for about
      // half the start-up CPU of sorting boxed indices (1e5 samples, the kde command's whole-process time)
      first = Arrays.copyOf(whitened, n);
      Arrays.sort(first);
      z = first.clone();
      w = null;
      cutoff = null;
      uniformCutoff = LOG_INV_EPS + Math.log(n);
      buildBlocks();
      return;
    }
    Integer[] order = new Integer[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    Arrays.sort(order, (a, b) -> Double.compare(whitened[a * d], whitened[b * d]));
    first = new double[n];
    z = new double[n * d];
    w = weights == null ? null : new double[n];
    cutoff = weights == null ? null : new double[n];
    for (int i = 0; i < n; i++) {
      int src = order[i];
      System.arraycopy(whitened, src * d, z, i * d, d);
      first[i] = whitened[src * d];
      if (weights != null) {
        w[i] = weights[src];
        cutoff[i] = LOG_INV_EPS - Math.log(weights[src]);
      }
    }
    uniformCutoff = LOG_INV_EPS + Math.log(n);
    if (d == 1) {
      buildBlocks();
    } else {
      buildCells();
    }
  }

  /** Counting sort of the samples into the 2-D cell grid (row cx, column cy), keeping the sorted order within. */
  private void buildCells() {
    double x0 = Double.POSITIVE_INFINITY;
    double x1 = Double.NEGATIVE_INFINITY;
    double y0 = Double.POSITIVE_INFINITY;
    double y1 = Double.NEGATIVE_INFINITY;
    for (int i = 0; i < n; i++) {
      x0 = Math.min(x0, z[i * d]);
      x1 = Math.max(x1, z[i * d]);
      y0 = Math.min(y0, z[i * d + 1]);
      y1 = Math.max(y1, z[i * d + 1]);
    }
    long cx = (long) Math.floor((x1 - x0) / CELL) + 1;
    long cy = (long) Math.floor((y1 - y0) / CELL) + 1;
    if (cx * cy > (long) MAX_CELLS_PER_SAMPLE * n + 64) {
      return; // far outliers: keep the strip method
    }
    nx = (int) cx;
    ny = (int) cy;
    gridX0 = x0;
    gridY0 = y0;
    int[] count = new int[nx * ny + 1];
    int[] cellOf = new int[n];
    for (int i = 0; i < n; i++) {
      cellOf[i] = cellX(z[i * d]) * ny + cellY(z[i * d + 1]);
      count[cellOf[i] + 1]++;
    }
    for (int c = 0; c < nx * ny; c++) {
      count[c + 1] += count[c];
    }
    cellStart = count.clone();
    cellZ = new double[n * d];
    cellW = w == null ? null : new double[n];
    cellCutoff = w == null ? null : new double[n];
    int[] next = Arrays.copyOf(count, nx * ny);
    for (int i = 0; i < n; i++) {
      int at = next[cellOf[i]]++;
      System.arraycopy(z, i * d, cellZ, at * d, d);
      if (w != null) {
        cellW[at] = w[i];
        cellCutoff[at] = cutoff[i];
      }
    }
    if (d == 2) {
      buildHermiteMoments();
    }
  }

  /**
   * Moments A_kl = sum_i w_i u_i1^k u_i2^l / (k! l!), k, l < HERMITE, of every cell holding at least
   * MIN_HERMITE_CELL samples, u_i = z_i - (cell centre), |u_i1|, |u_i2| <= CELL / 2 (unit weights when uniform).
   */
  private void buildHermiteMoments() {
    int cells = nx * ny;
    hermiteOffset = new int[cells];
    cellWeight = new double[cells];
    int expanded = 0;
    for (int c = 0; c < cells; c++) {
      hermiteOffset[c] = cellStart[c + 1] - cellStart[c] >= MIN_HERMITE_CELL ? expanded++ : -1;
    }
    int p = HERMITE;
    hermiteMoments = new double[expanded * p * p];
    hermiteLogBound = new double[cells];
    double[] a = new double[p];
    double[] b = new double[p];
    for (int c = 0; c < cells; c++) {
      for (int i = cellStart[c]; i < cellStart[c + 1]; i++) {
        cellWeight[c] += cellW == null ? 1.0 : cellW[i];
      }
      if (hermiteOffset[c] < 0) {
        continue;
      }
      hermiteLogBound[c] = Math.log(HERMITE_ERROR * cellWeight[c] / HERMITE_SHARE);
      int base = hermiteOffset[c] * p * p;
      double c1 = gridX0 + (c / ny + 0.5) * CELL;
      double c2 = gridY0 + (c % ny + 0.5) * CELL;
      for (int i = cellStart[c]; i < cellStart[c + 1]; i++) {
        double u1 = cellZ[2 * i] - c1;
        double u2 = cellZ[2 * i + 1] - c2;
        a[0] = cellW == null ? 1.0 : cellW[i];
        b[0] = 1.0;
        for (int k = 1; k < p; k++) {
          a[k] = a[k - 1] * u1 / k;
          b[k] = b[k - 1] * u2 / k;
        }
        for (int k = 0; k < p; k++) {
          for (int l = 0; l < p; l++) {
            hermiteMoments[base + k * p + l] += a[k] * b[l];
          }
        }
      }
    }
  }

  /**
   * The expansion of cell c at the point (y1, y2), in the frame of acc: sum_i w_i exp(-(|z_i - y|^2 - s)/2)
   * ~ exp(-(|v|^2 - s)/2) sum_kl A_kl He_k(v1) He_l(v2), v = y - (cell centre), He the probabilists' Hermite
   * polynomials (generating function exp(u v - u^2/2) = sum_k He_k(v) u^k / k!).
   */
  private double hermite(int c, double y1, double y2, double s, double[] h1, double[] h2, double[] t) {
    int p = HERMITE;
    double v1 = y1 - (gridX0 + (c / ny + 0.5) * CELL);
    double v2 = y2 - (gridY0 + (c % ny + 0.5) * CELL);
    h1[0] = 1.0;
    h1[1] = v1;
    h2[0] = 1.0;
    h2[1] = v2;
    for (int k = 1; k < p - 1; k++) {
      h1[k + 1] = v1 * h1[k] - k * h1[k - 1];
      h2[k + 1] = v2 * h2[k] - k * h2[k - 1];
    }
    // t_l = sum_k He_k(v1) A_kl: rows of A added with independent lanes (no serial dependency)
    int base = hermiteOffset[c] * p * p;
    Arrays.fill(t, 0.0);
    for (int k = 0; k < p; k++) {
      double hk = h1[k];
      int row = base + k * p;
      for (int l = 0; l < p; l++) {
        t[l] += hk * hermiteMoments[row + l];
      }
    }
    double total = 0;
    for (int l = 0; l < p; l++) {
      total += t[l] * h2[l];
    }
    return FastExp.exp(-0.5 * (v1 * v1 + v2 * v2 - s)) * total;
  }

  boolean usesCellGrid() {
    return cellStart != null;
  }

  /** Number of cell expansions evaluated so far. */
  long hermiteUses() {
    return hermiteUses.sum();
  }

  private int cellX(double v) {
    return (int) Math.min(nx - 1, Math.max(0, Math.floor((v - gridX0) / CELL)));
  }

  private int cellY(double v) {
    return (int) Math.min(ny - 1, Math.max(0, Math.floor((v - gridY0) / CELL)));
  }

  private void buildBlocks() {
    int[] starts = new int[n + 1];
    int nb = 0;
    for (int i = 0; i < n; i++) {
      if (i == 0 || first[i] - first[starts[nb - 1]] > BLOCK_WIDTH) {
        starts[nb++] = i;
      }
    }
    starts[nb] = n;
    blockStart = Arrays.copyOf(starts, nb + 1);
    blockOf = new int[n];
    blockCentre = new double[nb];
    blockHalfWidth = new double[nb];
    moments = new double[nb * TERMS];
    for (int b = 0; b < nb; b++) {
      int a = blockStart[b];
      int e = blockStart[b + 1];
      double c = 0.5 * (first[a] + first[e - 1]);
      blockCentre[b] = c;
      blockHalfWidth[b] = Math.max(c - first[a], first[e - 1] - c);
      for (int i = a; i < e; i++) {
        blockOf[i] = b;
        double u = first[i] - c;
        double t = (w == null ? 1.0 : w[i]) * Math.exp(-0.5 * u * u);
        for (int k = 0; k < TERMS; k++) {
          moments[b * TERMS + k] += t;
          t *= u / (k + 1);
        }
      }
    }
  }

  /** Sum over samples of block b of w_i exp(-((z_i - y)^2 - s)/2), by expansion or directly (class javadoc). */
  private double blockSum(int b, double y1, double s) {
    int a = blockStart[b];
    int e = blockStart[b + 1];
    double v = y1 - blockCentre[b];
    if (e - a >= MIN_EXPANDED && blockHalfWidth[b] * Math.abs(v) <= 1.0) {
      int base = b * TERMS;
      double acc = moments[base + TERMS - 1];
      for (int k = TERMS - 2; k >= 0; k--) {
        acc = acc * v + moments[base + k];
      }
      return FastExp.exp(-0.5 * (v * v - s)) * acc;
    }
    double sum = 0;
    for (int i = a; i < e; i++) {
      double t = first[i] - y1;
      double term = FastExp.exp(-0.5 * (t * t - s));
      sum += w == null ? term : w[i] * term;
    }
    return sum;
  }

  /**
   * Fills {@code scaled[j]} and {@code shift[j]} for j < m (see class javadoc); true sum (with weights, or
   * with 1/n when uniform) = scaled * exp(-shift / 2). {@code y} is m x d row-major whitened points.
   */
  void compute(double[] y, int m, double[] scaled, double[] shift) {
    int chunks = (m + CHUNK - 1) / CHUNK;
    IntStream.range(0, chunks).parallel().forEach(c -> {
      int end = Math.min(m, (c + 1) * CHUNK);
      for (int j = c * CHUNK; j < end; j++) {
        point(y, j * d, scaled, shift, j);
      }
    });
  }

  private void point(double[] y, int off, double[] scaled, double[] shift, int j) {
    if (cellStart != null) {
      cellPoint(y, off, scaled, shift, j);
      return;
    }
    double y1 = y[off];
    int pos = lowerBound(first, y1);
    // reference sample: nearest by full distance among neighbours of pos in first-coordinate order
    int lo0 = Math.max(0, pos - (d == 1 ? 1 : REF_NEIGHBOURS));
    int hi0 = Math.min(n, pos + (d == 1 ? 1 : REF_NEIGHBOURS));
    double best = Double.POSITIVE_INFINITY;
    int ref = lo0;
    for (int i = lo0; i < hi0; i++) {
      double dist = dist2(z, y, off, i);
      if (dist < best) {
        best = dist;
        ref = i;
      }
    }
    double radius2 = best + 2 * (w == null ? uniformCutoff : cutoff[ref]);
    double radius = Math.sqrt(radius2);
    int lo = lowerBound(first, y1 - radius);
    int hi = upperBound(first, y1 + radius);
    double s = best;
    double sum = 0;
    if (d == 1) {
      // 1-D: s is the exact smallest squared distance; blocks overlapping the window [lo, hi)
      if (lo < hi) {
        for (int b = blockOf[lo], last = blockOf[hi - 1]; b <= last; b++) {
          sum += blockSum(b, y1, s);
        }
      }
    } else {
      double[] acc = {0.0, s};
      run(acc, z, w, lo, hi, y, off);
      sum = acc[0];
      s = acc[1];
    }
    scaled[j] = w == null ? sum / n : sum;
    shift[j] = s;
  }

  /**
   * d >= 2 with the cell grid: the reference sample is the nearest one in the first non-empty ring of cells
   * around the point's (clamped) cell and the ring after it; the window is then the disk
   * (z_1 - y_1)^2 + (z_2 - y_2)^2 <= R (a subset of the strip of the class javadoc, and the same bound: a
   * skipped sample has |z - y|^2 >= its distance in the first two coordinates > R), visited as one contiguous
   * run of cells per cell row.
   */
  private void cellPoint(double[] y, int off, double[] scaled, double[] shift, int j) {
    double y1 = y[off];
    double y2 = y[off + 1];
    int px = cellX(y1);
    int py = cellY(y2);
    double best = Double.POSITIVE_INFINITY;
    int ref = -1;
    int foundRing = -1;
    for (int ring = 0; ring <= Math.max(nx, ny) && (foundRing < 0 || ring <= foundRing + 1); ring++) {
      for (int cx = px - ring; cx <= px + ring; cx++) {
        if (cx < 0 || cx >= nx) {
          continue;
        }
        boolean edgeRow = cx == px - ring || cx == px + ring;
        for (int cy = py - ring; cy <= py + ring; cy += edgeRow ? 1 : Math.max(1, 2 * ring)) {
          if (cy < 0 || cy >= ny) {
            continue;
          }
          int c = cx * ny + cy;
          for (int i = cellStart[c]; i < cellStart[c + 1]; i++) {
            double dist = dist2(cellZ, y, off, i);
            if (dist < best) {
              best = dist;
              ref = i;
            }
          }
        }
      }
      if (ref >= 0 && foundRing < 0) {
        foundRing = ring;
      }
    }
    double radius2 = best + 2 * (w == null ? uniformCutoff : cellCutoff[ref]);
    double radius = Math.sqrt(radius2);
    double[] acc = {0.0, best};
    // the 3 x 3 cells around the point's cell, exactly: the yardstick of the expansions' error budget
    int nearXLo = Math.max(0, px - 1);
    int nearXHi = Math.min(nx - 1, px + 1);
    int nearYLo = Math.max(0, py - 1);
    int nearYHi = Math.min(ny - 1, py + 1);
    for (int cx = nearXLo; cx <= nearXHi; cx++) {
      run(acc, cellZ, cellW, cellStart[cx * ny + nearYLo], cellStart[cx * ny + nearYHi + 1], y, off);
    }
    // a cell may be expanded when HERMITE_ERROR W_c exp(-|v|^2/4) <= HERMITE_SHARE * (near sum, absolute)
    // (class javadoc); never when the near cells are empty
    double logNear = acc[0] > 0 ? Math.log(acc[0]) - 0.5 * acc[1] : Double.NEGATIVE_INFINITY;
    double[] h1 = new double[HERMITE];
    double[] h2 = new double[HERMITE];
    double[] t = new double[HERMITE];
    int xLo = cellX(y1 - radius);
    int xHi = cellX(y1 + radius);
    for (int cx = xLo; cx <= xHi; cx++) {
      // squared distance from y1 to the cell row [x0 + cx C, x0 + (cx + 1) C)
      double left = gridX0 + cx * CELL;
      double gap = y1 < left ? left - y1 : Math.max(0.0, y1 - (left + CELL));
      if (gap * gap > radius2) {
        continue;
      }
      double half = Math.sqrt(radius2 - gap * gap);
      int a = cellY(y2 - half);
      int b = cellY(y2 + half);
      boolean nearRow = cx >= nearXLo && cx <= nearXHi;
      int runFrom = -1;
      for (int cy = a; cy <= b; cy++) {
        int c = cx * ny + cy;
        boolean done = nearRow && cy >= nearYLo && cy <= nearYHi;
        boolean expand = false;
        if (!done && hermiteOffset != null && hermiteOffset[c] >= 0 && logNear > Double.NEGATIVE_INFINITY) {
          double v1 = y1 - (gridX0 + (cx + 0.5) * CELL);
          double v2 = y2 - (gridY0 + (cy + 0.5) * CELL);
          double v2sum = v1 * v1 + v2 * v2;
          expand = hermiteLogBound[c] - 0.25 * v2sum <= logNear;
        }
        if (done || expand) {
          if (runFrom >= 0) {
            run(acc, cellZ, cellW, cellStart[cx * ny + runFrom], cellStart[c], y, off);
            runFrom = -1;
          }
          if (expand) {
            acc[0] += hermite(c, y1, y2, acc[1], h1, h2, t);
            hermiteUses.increment();
          }
        } else if (runFrom < 0) {
          runFrom = cy;
        }
      }
      if (runFrom >= 0) {
        run(acc, cellZ, cellW, cellStart[cx * ny + runFrom], cellStart[cx * ny + b + 1], y, off);
      }
    }
    scaled[j] = w == null ? acc[0] / n : acc[0];
    shift[j] = acc[1];
  }

  /**
   * Adds samples [from, to) of {@code coords} (n x d, the strip's or the cells' order) with their
   * {@code weights} (null: unit) to acc = {sum, s}, sum = sum_i w_i exp(-(dist_i - s)/2), lowering the shift s
   * (and rescaling the sum) when a closer sample than the current one appears (rare).
   */
  private void run(double[] acc, double[] coords, double[] weights, int from, int to, double[] y, int off) {
    double sum = acc[0];
    double s = acc[1];
    if (d == 2 && weights == null) {
      // 2-D uniform, the common case, with the distance inlined
      double y1 = y[off];
      double y2 = y[off + 1];
      for (int i = from; i < to; i++) {
        double t1 = coords[2 * i] - y1;
        double t2 = coords[2 * i + 1] - y2;
        double dist = t1 * t1 + t2 * t2;
        if (dist < s) {
          sum *= FastExp.exp(-0.5 * (s - dist));
          s = dist;
        }
        sum += FastExp.exp(-0.5 * (dist - s));
      }
    } else {
      for (int i = from; i < to; i++) {
        double dist = dist2(coords, y, off, i);
        if (dist < s) {
          sum *= FastExp.exp(-0.5 * (s - dist));
          s = dist;
        }
        double term = FastExp.exp(-0.5 * (dist - s));
        sum += weights == null ? term : weights[i] * term;
      }
    }
    acc[0] = sum;
    acc[1] = s;
  }

  /** Squared distance between sample i of {@code coords} (n x d) and the point at y[off ..]. */
  private double dist2(double[] coords, double[] y, int off, int i) {
    double acc = 0;
    int zi = i * d;
    for (int k = 0; k < d; k++) {
      double t = coords[zi + k] - y[off + k];
      acc += t * t;
    }
    return acc;
  }

  /** First index with a[i] >= v (a ascending). */
  private static int lowerBound(double[] a, double v) {
    return firstIndex(a, v, true);
  }

  /** First index with a[i] > v (a ascending). */
  private static int upperBound(double[] a, double v) {
    return firstIndex(a, v, false);
  }

  /** Binary search in ascending a: the first index with a[i] >= v ({@code orEqual}), else with a[i] > v. */
  private static int firstIndex(double[] a, double v, boolean orEqual) {
    int lo = 0;
    int hi = a.length;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (orEqual ? a[mid] < v : a[mid] <= v) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  }
}
