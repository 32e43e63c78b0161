package org.nnstm.tensor;

/** A requested backend cannot start here (no GPU, no driver, missing natives); the message says why. */
public class BackendUnavailableException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public BackendUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
