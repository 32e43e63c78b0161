package org.nnstm.run;

/**
 * Where finished passes of a long run are kept so that an interrupted run resumes without redoing them
 * ({@link RunStore}). Keys name the part and its models, e.g. {@code prior-0-1500}; a key maps to a rows x cols
 * float matrix.
 */
public interface Parts {
  /** The matrix saved under key, or null when absent (or of another shape, or unreadable). */
  float[][] load(String key, int rows, int cols);

  /** Saves a matrix under key (atomically: a crash leaves either nothing or the whole matrix). */
  void save(String key, float[][] value);

  /** Keeps nothing. */
  Parts NONE = new Parts() {
    @Override
    public float[][] load(String key, int rows, int cols) {
      return null;
    }

    @Override
    public void save(String key, float[][] value) {}
  };
}
