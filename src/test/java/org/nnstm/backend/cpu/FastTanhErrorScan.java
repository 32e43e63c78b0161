package org.nnstm.backend.cpu;

/**
 * Exhaustive error scan of {@link FastTanh#tanh(float)} against Math.tanh (double) over every float in
 * [-20, 20]; the numbers it prints are the ones stated in FastTanh's javadoc. Not a unit test (about a
 * minute); run with
 * {@code java -cp target/classes:target/test-classes:$(cat cp.txt) org.nnstm.backend.cpu.FastTanhErrorScan}.
 */
public final class FastTanhErrorScan {
  private FastTanhErrorScan() {}

  public static void main(String[] args) {
    double maxAbs = 0;
    double maxRel = 0;
    double maxUlp = 0;
    float atAbs = 0;
    float atRel = 0;
    float atUlp = 0;
    long count = 0;
    int top = Float.floatToRawIntBits(20f);
    for (int sign = 0; sign < 2; sign++) {
      for (int bits = 0; bits <= top; bits++) {
        float x = Float.intBitsToFloat(bits | (sign << 31));
        double e = Math.tanh(x);
        float f = FastTanh.tanh(x);
        double abs = Math.abs(f - e);
        double rel = e == 0 ? abs : abs / Math.abs(e);
        double ulp = abs / Math.ulp((float) e);
        count++;
        if (abs > maxAbs) {
          maxAbs = abs;
          atAbs = x;
        }
        if (rel > maxRel) {
          maxRel = rel;
          atRel = x;
        }
        if (ulp > maxUlp) {
          maxUlp = ulp;
          atUlp = x;
        }
      }
    }
    System.out.printf("floats scanned: %d%nmax abs error %.3e at x = %s%nmax rel error %.3e at x = %s%n"
        + "max error %.2f ulp(float tanh) at x = %s%n", count, maxAbs, atAbs, maxRel, atRel, maxUlp, atUlp);
  }
}
