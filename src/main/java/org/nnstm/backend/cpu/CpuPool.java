package org.nnstm.backend.cpu;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntConsumer;

/**
 * The worker threads of one {@link CpuBackend}: {@link #forEach} runs tasks 0..n-1, the caller taking part,
 * and returns when all are done. Which thread runs which task is left to chance; callers make each task's
 * result independent of that (a task writes only its own outputs, and a reduction is never split across
 * tasks), so results are bit-identical for every thread count.
 *
 * <p>A training step is a few hundred ops of 0.05-5 ms each, so hand-off latency matters: idle workers spin
 * for {@value #SPIN_NANOS} ns on the job counter before they park (a parked worker costs a wake-up of tens of
 * microseconds), and the caller spins while the last tasks finish.
 */
final class CpuPool implements AutoCloseable {
  /** How long an idle worker polls for the next job before parking. */
  static final long SPIN_NANOS = 200_000;

  /** One forEach call: tasks are claimed through {@code next}; {@code left} counts those not yet finished. */
  private static final class Job {
    final int n;
    final IntConsumer task;
    final AtomicInteger next = new AtomicInteger();
    final AtomicInteger left;
    final AtomicReference<Throwable> failure = new AtomicReference<>();

    Job(int n, IntConsumer task) {
      this.n = n;
      this.task = task;
      this.left = new AtomicInteger(n);
    }

    /** Claims and runs tasks until none is left to claim. */
    void work() {
      for (int i = next.getAndIncrement(); i < n; i = next.getAndIncrement()) {
        try {
          if (failure.get() == null) {
            task.accept(i);
          }
        } catch (Throwable t) {
          failure.compareAndSet(null, t);
        } finally {
          left.decrementAndGet();
        }
      }
    }
  }

  private final int threads;
  private final Thread[] workers;
  private volatile Job job;
  private volatile boolean closed;

  CpuPool(int threads) {
    this.threads = threads;
    this.workers = new Thread[threads - 1];
    for (int w = 0; w < workers.length; w++) {
      Thread t = new Thread(this::workerLoop, "nnstm-cpu-" + (w + 1));
      t.setDaemon(true);
      workers[w] = t;
      t.start();
    }
  }

  int threads() {
    return threads;
  }

  private void workerLoop() {
    Job seen = null;
    while (!closed) {
      Job j = job;
      if (j != null && j != seen) {
        seen = j;
        j.work();
        continue;
      }
      long until = System.nanoTime() + SPIN_NANOS;
      while (job == seen && !closed && System.nanoTime() < until) {
        Thread.onSpinWait();
      }
      if (job == seen && !closed) {
        LockSupport.park(this);
      }
    }
  }

  /** Runs {@code task.accept(i)} for i in [0, n), on up to {@link #threads()} threads; rethrows a task's failure. */
  void forEach(int n, IntConsumer task) {
    if (workers.length == 0 || n <= 1) {
      for (int i = 0; i < n; i++) {
        task.accept(i);
      }
      return;
    }
    Job j = new Job(n, task);
    job = j;
    for (Thread w : workers) {
      LockSupport.unpark(w);
    }
    j.work();
    int spins = 0;
    while (j.left.get() > 0) {
      if (++spins < 1 << 16) {
        Thread.onSpinWait();
      } else {
        Thread.yield();
      }
    }
    job = null;
    Throwable t = j.failure.get();
    if (t instanceof RuntimeException re) {
      throw re;
    }
    if (t instanceof Error err) {
      throw err;
    }
    if (t != null) {
      throw new IllegalStateException(t);
    }
  }

  @Override
  public void close() {
    closed = true;
    for (Thread w : workers) {
      LockSupport.unpark(w);
    }
  }
}
