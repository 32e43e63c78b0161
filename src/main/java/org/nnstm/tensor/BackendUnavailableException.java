package org.nnstm.tensor;

/** A requested backend cannot start here (no GPU, no driver, missing natives); the message says why. */
public class BackendUnavailableException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** The message is cut to its first line (the {@code auto} notice and the error are one line each). */
  public BackendUnavailableException(String message, Throwable cause) {
    super(message == null ? null : message.split("\n", 2)[0], cause);
  }
}
