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
 * strip is used. A 2-D Taylor or Hermite expansion per cell does not pay at 1e-14: it needs ~P^2 = 144-576
 * terms per cell against the few hundred samples a cell holds (benchmarks/RESULTS.md).
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
  }

  boolean usesCellGrid() {
    return cellStart != null;
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
      double dist = dist2(y, off, i);
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
            double dist = cellDist2(y, off, i);
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
    int xLo = cellX(y1 - radius);
    int xHi = cellX(y1 + radius);
    for (int cx = xLo; cx <= xHi; cx++) {
      // squared distance from y1 to the cell row [x0 + cx C, x0 + (cx + 1) C)
      double left = gridX0 + cx * CELL;
      double gap = y1 < left ? left - y1 : Math.max(0.0, y1 - (left + CELL));
      if (gap * gap > radius2 && cx != px) {
        continue;
      }
      double half = Math.sqrt(Math.max(0.0, radius2 - gap * gap));
      run(acc, cellZ, cellW, cellStart[cx * ny + cellY(y2 - half)], cellStart[cx * ny + cellY(y2 + half) + 1], y, off);
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
        double dist = 0;
        for (int k = 0; k < d; k++) {
          double t = coords[i * d + k] - y[off + k];
          dist += t * t;
        }
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

  private double cellDist2(double[] y, int off, int i) {
    double acc = 0;
    int zi = i * d;
    for (int k = 0; k < d; k++) {
      double t = cellZ[zi + k] - y[off + k];
      acc += t * t;
    }
    return acc;
  }

  private double dist2(double[] y, int off, int i) {
    double acc = 0;
    int zi = i * d;
    for (int k = 0; k < d; k++) {
      double t = z[zi + k] - y[off + k];
      acc += t * t;
    }
    return acc;
  }

  /** First index with a[i] >= v. */
  private static int lowerBound(double[] a, double v) {
    int lo = 0;
    int hi = a.length;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (a[mid] < v) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  }

  /** First index with a[i] > v. */
  private static int upperBound(double[] a, double v) {
    int lo = 0;
    int hi = a.length;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (a[mid] <= v) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  }
}
