package org.nnstm.backend.cuda;

/** The GPU could not allocate a buffer; the message names the requested bytes. Callers may catch it and shrink K. */
public class DeviceOutOfMemoryException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final long requestedBytes;

  public DeviceOutOfMemoryException(long requestedBytes, String device, Throwable cause) {
    super("CUDA out of memory: could not allocate " + requestedBytes + " bytes ("
        + (requestedBytes >> 20) + " MiB) on " + device, cause);
    this.requestedBytes = requestedBytes;
  }

  /** Bytes the failed allocation asked for. */
  public long requestedBytes() {
    return requestedBytes;
  }
}
