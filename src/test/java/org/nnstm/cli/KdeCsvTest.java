package org.nnstm.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class KdeCsvTest {
  private static final byte[] BOM = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};

  private static double[][] parse(String text, KdeCsv.Header header) {
    return KdeCsv.parseMatrix(text.getBytes(StandardCharsets.UTF_8), "f.csv", header);
  }

  static Stream<Arguments> goodFiles() {
    return Stream.of(
        Arguments.of("plain column", "1\n2.5\n-3\n", KdeCsv.Header.AUTO, new double[][] {{1}, {2.5}, {-3}}),
        Arguments.of("CRLF and no final newline", "1,2\r\n3,4", KdeCsv.Header.AUTO, new double[][] {{1, 2}, {3, 4}}),
        Arguments.of("header of names", "x,sigma_w2\n1,2\n", KdeCsv.Header.AUTO, new double[][] {{1, 2}}),
        Arguments.of("quoted header", "\"a\",\"b c\"\n1,2\n", KdeCsv.Header.AUTO, new double[][] {{1, 2}}),
        Arguments.of("non-ASCII header", "σ,μ\n1,2\n", KdeCsv.Header.AUTO, new double[][] {{1, 2}}),
        Arguments.of("spaces, tabs, comments, blank lines", "# made by hand\n\n x , y \n 1 ,\t2\n\n#c\n3,4\n",
            KdeCsv.Header.AUTO, new double[][] {{1, 2}, {3, 4}}),
        Arguments.of("declared header of numbers", "1,2\n3,4\n", KdeCsv.Header.YES, new double[][] {{3, 4}}),
        Arguments.of("no header declared", "5\n6\n", KdeCsv.Header.NO, new double[][] {{5}, {6}}),
        Arguments.of("exponents and signs", "+1e-3,-2E+2\n.5,7.\n", KdeCsv.Header.AUTO,
            new double[][] {{1e-3, -200}, {0.5, 7}}),
        Arguments.of("underflow rounds to zero", "1e-400\n1\n", KdeCsv.Header.AUTO, new double[][] {{0}, {1}}));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("goodFiles")
  void parsesGoodFiles(String what, String text, KdeCsv.Header header, double[][] expected) {
    double[][] got = parse(text, header);
    assertEquals(expected.length, got.length, what);
    for (int r = 0; r < expected.length; r++) {
      assertArrayEquals(expected[r], got[r], 0, what + " row " + r);
    }
  }

  @Test
  void byteOrderMarkIsDropped() {
    byte[] body = "1.0\n2.0\n".getBytes(StandardCharsets.UTF_8);
    byte[] withBom = new byte[BOM.length + body.length];
    System.arraycopy(BOM, 0, withBom, 0, 3);
    System.arraycopy(body, 0, withBom, 3, body.length);
    double[][] got = KdeCsv.parseMatrix(withBom, "f.csv", KdeCsv.Header.AUTO);
    assertEquals(2, got.length);
    assertEquals(1.0, got[0][0]);
    assertEquals(2.0, got[1][0]);
    byte[] headerWithBom = ("\uFEFFx\n3\n").getBytes(StandardCharsets.UTF_8);
    assertArrayEquals(new double[] {3}, KdeCsv.parseMatrix(headerWithBom, "f.csv", KdeCsv.Header.AUTO)[0]);
  }

  static Stream<Arguments> badFiles() {
    return Stream.of(
        Arguments.of("typo in the first row", "1.o\n2\n3\n", KdeCsv.Header.AUTO,
            new String[] {"f.csv line 1 column 1: not a number: '1.o'"}),
        Arguments.of("typo in a later row", "1\n2\n3,o\n", KdeCsv.Header.AUTO, new String[] {"line 3 column 2"}),
        Arguments.of("mixed first row is data", "x,1\n2,3\n", KdeCsv.Header.AUTO,
            new String[] {"line 1 column 1: not a number: 'x'"}),
        Arguments.of("header without --header no", "x\n1\n", KdeCsv.Header.NO,
            new String[] {"line 1 column 1: not a number: 'x'"}),
        Arguments.of("NaN in the first row", "nan\n1\n", KdeCsv.Header.AUTO,
            new String[] {"line 1 column 1: not finite: 'nan'"}),
        Arguments.of("NaN", "1\nNaN\n", KdeCsv.Header.AUTO, new String[] {"line 2 column 1: not finite: 'NaN'"}),
        Arguments.of("inf", "1,2\n3,-inf\n", KdeCsv.Header.AUTO, new String[] {"line 2 column 2: not finite: '-inf'"}),
        Arguments.of("Infinity", "Infinity\n", KdeCsv.Header.NO, new String[] {"not finite: 'Infinity'"}),
        Arguments.of("overflow", "1\n1e309\n", KdeCsv.Header.AUTO,
            new String[] {"line 2 column 1: beyond the double range: '1e309'"}),
        Arguments.of("Java-only spelling", "1d\n", KdeCsv.Header.AUTO, new String[] {"not a number: '1d'"}),
        Arguments.of("hex float", "0x1p3\n", KdeCsv.Header.AUTO, new String[] {"not a number: '0x1p3'"}),
        Arguments.of("ragged short row", "1,2\n3\n", KdeCsv.Header.AUTO,
            new String[] {"line 2: 1 columns, but earlier rows have 2"}),
        Arguments.of("ragged long row", "1\n2,3\n", KdeCsv.Header.AUTO,
            new String[] {"line 2: 2 columns, but earlier rows have 1"}),
        Arguments.of("header wider than data", "x,y,z\n1,2\n", KdeCsv.Header.AUTO,
            new String[] {"line 2: 2 columns, but the header (line 1) has 3"}),
        Arguments.of("empty field", "1,,2\n", KdeCsv.Header.AUTO, new String[] {"line 1 column 2: empty field"}),
        Arguments.of("trailing comma", "1,2,\n", KdeCsv.Header.AUTO, new String[] {"line 1 column 3: empty field"}),
        Arguments.of("empty file", "", KdeCsv.Header.AUTO, new String[] {"f.csv: no data rows (empty file)"}),
        Arguments.of("only blank lines and comments", "\n  \n# x\n", KdeCsv.Header.AUTO,
            new String[] {"f.csv: no data rows"}),
        Arguments.of("only a header", "x,y\n", KdeCsv.Header.AUTO,
            new String[] {"no data rows (only a header, line 1)"}),
        Arguments.of("BOM in the middle", "1\n\uFEFF2\n", KdeCsv.Header.AUTO,
            new String[] {"line 2 column 1: not a number: '\\uFEFF2'"}),
        Arguments.of("control characters escaped", "1\n2\u00003\n", KdeCsv.Header.AUTO,
            new String[] {"line 2 column 1: not a number: '2\\u00003'"}),
        Arguments.of("lone CR inside a line", "1\r2\n", KdeCsv.Header.AUTO,
            new String[] {"line 1 column 1: not a number: '1\\u000D2'"}),
        Arguments.of("semicolon separated", "1;2\n3;4\n", KdeCsv.Header.AUTO,
            new String[] {"line 1 column 1: not a number: '1;2'"}),
        Arguments.of("decimal comma", "1,5\n2,5\n0,5x\n", KdeCsv.Header.AUTO, new String[] {"line 3 column 2"}),
        Arguments.of("quoted number", "\"1\"\n", KdeCsv.Header.NO, new String[] {"not a number: '\"1\"'"}),
        Arguments.of("long text is cut", "1\n" + "z".repeat(100) + "\n", KdeCsv.Header.AUTO,
            new String[] {"'" + "z".repeat(40) + "...'"}));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badFiles")
  void badFilesAreOneLineErrors(String what, String text, KdeCsv.Header header, String[] fragments) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> parse(text, header), what);
    String msg = e.getMessage();
    assertTrue(msg.startsWith("f.csv"), msg);
    assertTrue(!msg.contains("\n") && !msg.contains("\r"), () -> "not one line: " + msg);
    for (String f : fragments) {
      assertTrue(msg.contains(f), () -> what + ": '" + msg + "' lacks '" + f + "'");
    }
  }

  @Test
  void utf16IsRefused() {
    byte[] b = {(byte) 0xFF, (byte) 0xFE, '1', 0, '\n', 0};
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> KdeCsv.parseMatrix(b, "f.csv", KdeCsv.Header.AUTO));
    assertTrue(e.getMessage().contains("UTF-16"), e.getMessage());
  }

  @Test
  void headerOptionValues() {
    assertEquals(KdeCsv.Header.YES, KdeCsv.Header.parse("--header", "Yes"));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> KdeCsv.Header.parse("--header", "maybe"));
    assertTrue(e.getMessage().contains("--header 'maybe'"), e.getMessage());
  }
}
