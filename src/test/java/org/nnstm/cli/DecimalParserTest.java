package org.nnstm.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** DecimalParser against its slow twin, Double.parseDouble, bit for bit. */
class DecimalParserTest {
  private static double parse(String text) {
    byte[] b = ("  " + text + " ").getBytes(StandardCharsets.ISO_8859_1);
    return DecimalParser.parse(b, 2, b.length - 1);
  }

  private static void assertSameAsParseDouble(List<String> cases) {
    for (String c : cases) {
      long expected = Double.doubleToRawLongBits(Double.parseDouble(c));
      long got = Double.doubleToRawLongBits(parse(c));
      assertEquals(expected, got, () -> "'" + c + "': parseDouble " + Double.parseDouble(c) + ", got " + parse(c));
    }
  }

  @Test
  void edgeCases() {
    assertSameAsParseDouble(List.of("0", "-0", "+0", "0.0", "-0.0", "00012", "1", "-1", "1.", ".5", "-.5", "0.1",
        "0.2", "0.3", "1e22", "1e23", "1e-22", "1e-23", "123456789012345", "1234567890123456", "12345678901234567",
        "9007199254740993", "9007199254740992", "9007199254740991", "9007199254740995", "18014398509481985",
        "1.7976931348623157e308", "1.7976931348623158e308", "1.7976931348623159e308", "1.797693134862315807e308",
        "4.9e-324", "2.4703282292062327e-324", "2.4703282292062328e-324", "2.2250738585072014E-308",
        "2.2250738585072011e-308", "2.2250738585072012e-308", "2.225073858507201e-308", "1e-400", "-1e-400",
        "1e400", "-1e400", "0e99999999999", "1e-99999999999", "1e99999999999", "0.000000000000000000000000000001",
        "100000000000000000000000", "3.141592653589793", "-2.718281828459045e-5", "1E+5", "1e-0",
        "0.30000000000000004", "123.456e-7", "999999999999999.9", "8.98846567431158e307", "9999999999999999999",
        "18446744073709551615", "18446744073709551616", "1e-342", "1e-343", "1e308", "1e309", "7.2057594037927933e16",
        "0.1000000000000000055511151231257827021181583404541015625",
        "1.00000000000000011102230246251565404236316680908203125",
        "1.00000000000000011102230246251565404236316680908203124",
        "1.00000000000000011102230246251565404236316680908203126",
        "2.22507385850720138309e-308", "7.4109846876186982e-323", "1.4e-45"));
  }

  /** Random decimals of every length and exponent, shortest representations and numpy's %.18e output. */
  @Test
  void randomDecimals() {
    Random rng = new Random(15);
    List<String> cases = new ArrayList<>();
    for (int t = 0; t < 8000; t++) {
      StringBuilder sb = new StringBuilder();
      if (rng.nextInt(3) == 0) {
        sb.append(rng.nextBoolean() ? '-' : '+');
      }
      int intDigits = rng.nextInt(4) == 0 ? 0 : 1 + rng.nextInt(rng.nextBoolean() ? 3 : 22);
      for (int k = 0; k < intDigits; k++) {
        sb.append((char) ('0' + rng.nextInt(10)));
      }
      int fracDigits = rng.nextInt(22) + (intDigits == 0 ? 1 : 0);
      if (fracDigits > 0 || rng.nextInt(10) == 0) {
        sb.append('.');
      }
      for (int k = 0; k < fracDigits; k++) {
        sb.append((char) ('0' + rng.nextInt(10)));
      }
      if (rng.nextBoolean()) {
        sb.append(rng.nextBoolean() ? 'e' : 'E');
        int r = rng.nextInt(3);
        sb.append(r == 0 ? "-" : r == 1 ? "+" : "").append(rng.nextInt(rng.nextBoolean() ? 30 : 345));
      }
      cases.add(sb.toString());
      double v = rng.nextGaussian() * Math.pow(10, rng.nextInt(61) - 30);
      cases.add(Double.toString(v));
      cases.add(String.format("%.18e", v));
      cases.add(String.format("%.16e", v));
      cases.add(String.format("%.6f", rng.nextGaussian()));
      // any double's bits, printed shortest and with 17 digits
      double any = Double.longBitsToDouble(rng.nextLong() & Long.MAX_VALUE);
      if (Double.isFinite(any)) {
        cases.add(Double.toString(any));
        cases.add(String.format("%.16e", any));
      }
    }
    assertSameAsParseDouble(cases);
  }

  /** Decimals exactly halfway between two neighbouring doubles, and one unit in the 19th digit either side. */
  @Test
  void halfwayCases() {
    Random rng = new Random(16);
    List<String> cases = new ArrayList<>();
    for (int t = 0; t < 1500; t++) {
      double a = rng.nextInt(4) == 0 ? rng.nextInt(1 << 20) * Math.pow(2, rng.nextInt(60)) + rng.nextDouble()
          : Math.scalb(1 + rng.nextDouble(), rng.nextInt(200) - 100);
      BigDecimal lo = new BigDecimal(a);
      BigDecimal mid = lo.add(new BigDecimal(Math.nextUp(a))).divide(BigDecimal.valueOf(2));
      cases.add(mid.toString());
      BigDecimal unit = BigDecimal.ONE.movePointLeft(19 - mid.precision() + mid.scale());
      cases.add(mid.round(new java.math.MathContext(19)).toString());
      cases.add(mid.add(unit).round(new java.math.MathContext(19)).toString());
      cases.add(mid.subtract(unit).round(new java.math.MathContext(19)).toString());
    }
    assertSameAsParseDouble(cases);
  }

  /** The Eisel-Lemire path itself decides (no fallback) on 17-19 digit decimals in the normal range. */
  @Test
  void eiselLemireDecidesTypicalLongDecimals() {
    Random rng = new Random(18);
    int undecided = 0;
    for (int t = 0; t < 2000; t++) {
      // 16 to 19 digits, up to 10^19 - 1 > 2^63 (unsigned)
      long span = Long.parseUnsignedLong("9998999999999999999");
      long w = 1_000_000_000_000_000L + Long.remainderUnsigned(rng.nextLong(), span);
      int q = rng.nextInt(600) - 300;
      long bits = DecimalParser.eiselLemire(w, q);
      if (bits < 0) {
        undecided++;
        continue;
      }
      String text = Long.toUnsignedString(w) + "e" + q;
      assertEquals(Double.doubleToRawLongBits(Double.parseDouble(text)), bits, text);
    }
    assertTrue(undecided <= 2, "undecided: " + undecided + " of 2000");
  }

  @Test
  void rejectsNonDecimals() {
    for (String c : new String[] {"", "+", "-", ".", "e5", "1e", "1e+", "1.o", "1,0", "0x1p3", "1d", "1f", "NaN",
        "Infinity", "-Infinity", "inf", "1 2", "--1", "1..2", "1e5.0", "\uFEFF1", "1_000", "١"}) {
      byte[] b = c.getBytes(StandardCharsets.UTF_8);
      assertTrue(Double.isNaN(DecimalParser.parse(b, 0, b.length)), () -> "'" + c + "' parsed");
    }
  }

  /** The table of 128-bit powers of five, recomputed with BigInteger (fast_float's generation script). */
  @Test
  void powersOfFiveTable() {
    BigInteger mask = BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE);
    for (int q = DecimalParser.MIN_Q; q <= DecimalParser.MAX_Q; q++) {
      BigInteger c;
      if (q < 0) {
        BigInteger power5 = BigInteger.valueOf(5).pow(-q);
        int z = power5.bitLength();
        int b = q >= -27 ? z + 127 : 2 * z + 128;
        c = BigInteger.ONE.shiftLeft(b).divide(power5).add(BigInteger.ONE);
        c = c.shiftRight(Math.max(0, c.bitLength() - 128));
      } else {
        BigInteger power5 = BigInteger.valueOf(5).pow(q);
        c = power5.bitLength() < 128 ? power5.shiftLeft(128 - power5.bitLength())
            : power5.shiftRight(power5.bitLength() - 128);
      }
      int index = 2 * (q - DecimalParser.MIN_Q);
      assertEquals(c.shiftRight(64).longValue(), DecimalParser.POW5_128[index], "high word of 5^" + q);
      assertEquals(c.and(mask).longValue(), DecimalParser.POW5_128[index + 1], "low word of 5^" + q);
    }
    assertEquals(2 * (DecimalParser.MAX_Q - DecimalParser.MIN_Q + 1), DecimalParser.POW5_128.length);
  }

  @Test
  void unsignedMultiplyHigh() {
    Random rng = new Random(17);
    BigInteger two64 = BigInteger.ONE.shiftLeft(64);
    for (int t = 0; t < 1000; t++) {
      long a = rng.nextLong();
      long b = t == 0 ? -1L : rng.nextLong();
      BigInteger ua = new BigInteger(Long.toUnsignedString(a));
      BigInteger ub = new BigInteger(Long.toUnsignedString(b));
      assertEquals(ua.multiply(ub).divide(two64).longValue(), DecimalParser.unsignedMultiplyHigh(a, b));
    }
  }
}
