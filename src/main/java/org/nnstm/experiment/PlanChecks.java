package org.nnstm.experiment;

/** The argument checks the experiments' plans share; each error names the setting in the library's words. */
final class PlanChecks {
  private PlanChecks() {}

  /** {@code value}; an error "{@code what} is missing" when it is null. */
  static <T> T present(T value, String what) {
    if (value == null) {
      throw new IllegalArgumentException(what + " is missing");
    }
    return value;
  }

  /** {@code value}; an error "{@code what} must be &gt;= 1, got value" below 1. */
  static int atLeastOne(int value, String what) {
    if (value < 1) {
      throw new IllegalArgumentException(what + " must be >= 1, got " + value);
    }
    return value;
  }
}
