package org.nnstm.io;

import java.io.IOException;
import java.util.concurrent.TimeUnit;

/** Waiting for an external process (npm, Slurm's commands) with a time limit. */
public final class Processes {
  private Processes() {}

  /**
   * Waits for {@code p} at most {@code timeout}; past it, kills {@code p} and throws an {@link IOException} with
   * {@code timeoutMessage}. Interrupted while waiting: the thread's interrupt flag is set again and an
   * {@link IOException} with {@code interruptedMessage} is thrown.
   */
  public static void await(Process p, long timeout, TimeUnit unit, String timeoutMessage, String interruptedMessage)
      throws IOException {
    try {
      if (!p.waitFor(timeout, unit)) {
        p.destroyForcibly();
        throw new IOException(timeoutMessage);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException(interruptedMessage, e);
    }
  }
}
