package org.nnstm.backend.cpu;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntConsumer;

/**
 * The worker threads of one {@link CpuBackend}: {@link #forEach} runs tasks 0..n-1, the caller taking part,
 * and returns when all are done. Which thread runs which task is left to chance; callers make each task's
 * result independent of that (a task writes only its own outputs, and a reduction is never split across
 * tasks), so results are bit-identical for every thread count.
 */
final class CpuPool implements AutoCloseable {
  private final int threads;
  private final ExecutorService helpers;

  CpuPool(int threads) {
    this.threads = threads;
    if (threads > 1) {
      AtomicInteger count = new AtomicInteger();
      this.helpers = Executors.newFixedThreadPool(threads - 1, r -> {
        Thread t = new Thread(r, "nnstm-cpu-" + count.incrementAndGet());
        t.setDaemon(true);
        return t;
      });
    } else {
      this.helpers = null;
    }
  }

  int threads() {
    return threads;
  }

  /** Runs {@code task.accept(i)} for i in [0, n), on up to {@link #threads()} threads; rethrows a task's failure. */
  void forEach(int n, IntConsumer task) {
    if (helpers == null || n <= 1) {
      for (int i = 0; i < n; i++) {
        task.accept(i);
      }
      return;
    }
    AtomicInteger next = new AtomicInteger();
    AtomicReference<Throwable> failure = new AtomicReference<>();
    int extra = Math.min(threads - 1, n - 1);
    CountDownLatch done = new CountDownLatch(extra);
    Runnable work = () -> {
      try {
        for (int i = next.getAndIncrement(); i < n; i = next.getAndIncrement()) {
          task.accept(i);
        }
      } catch (Throwable t) {
        failure.compareAndSet(null, t);
        next.set(n);
      }
    };
    for (int h = 0; h < extra; h++) {
      helpers.execute(() -> {
        try {
          work.run();
        } finally {
          done.countDown();
        }
      });
    }
    work.run();
    boolean interrupted = false;
    while (true) {
      try {
        done.await();
        break;
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
    Throwable t = failure.get();
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
    if (helpers != null) {
      helpers.shutdown();
    }
  }
}
