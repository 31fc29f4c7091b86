package dev.datamigrations.console;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Runs the JDK {@code HttpServer}'s exchanges on a fixed number of threads and cuts off a request
 * that has not fully arrived within its deadline. That server reads a request's line, headers and
 * body on the executor's thread, so without a deadline a client that sends half a request and waits
 * holds a thread for ever, and a few such clients hold them all. Past the deadline the thread is
 * interrupted, which closes the connection's channel and ends the read; a request that has arrived
 * (see {@link #arrived}) is never interrupted, however long its action runs.
 */
final class RequestDeadlines implements Executor, AutoCloseable {
  private final ExecutorService threads;
  private final ScheduledExecutorService watchdog;
  private final long timeoutNanos;
  private final Map<Thread, Watch> watched = new ConcurrentHashMap<>();

  /** One exchange still arriving; {@code open} is guarded by the watch itself. */
  private static final class Watch {
    private final Thread thread;
    private final long deadline;
    private boolean open = true;

    Watch(Thread thread, long deadline) {
      this.thread = thread;
      this.deadline = deadline;
    }
  }

  RequestDeadlines(int threadCount, Duration timeout) {
    this.timeoutNanos = timeout.toNanos();
    this.threads = Executors.newFixedThreadPool(threadCount, daemon("datamigrations-console"));
    this.watchdog =
        Executors.newSingleThreadScheduledExecutor(daemon("datamigrations-console-deadlines"));
    long period = Math.max(50, Math.min(1000, timeout.toMillis() / 4));
    watchdog.scheduleAtFixedRate(this::cutOffLate, period, period, TimeUnit.MILLISECONDS);
  }

  @Override
  public void execute(Runnable exchange) {
    threads.execute(
        () -> {
          Watch watch = new Watch(Thread.currentThread(), System.nanoTime() + timeoutNanos);
          watched.put(watch.thread, watch);
          try {
            exchange.run();
          } finally {
            watched.remove(watch.thread);
            synchronized (watch) {
              watch.open = false;
            }
            // An interrupt is only sent while the watch is open, so none can reach the thread's
            // next exchange.
            Thread.interrupted();
          }
        });
  }

  /**
   * Marks the current thread's request as arrived (line, headers and body read): from now on it is
   * never cut off. Returns false if it was cut off first.
   */
  boolean arrived() {
    Watch watch = watched.remove(Thread.currentThread());
    if (watch == null) {
      return true;
    }
    synchronized (watch) {
      boolean inTime = watch.open;
      watch.open = false;
      return inTime;
    }
  }

  private void cutOffLate() {
    long now = System.nanoTime();
    for (Watch watch : watched.values()) {
      if (now - watch.deadline > 0) {
        synchronized (watch) {
          if (watch.open) {
            watch.open = false;
            watch.thread.interrupt();
          }
        }
      }
    }
  }

  @Override
  public void close() {
    watchdog.shutdownNow();
    threads.shutdownNow();
  }

  private static java.util.concurrent.ThreadFactory daemon(String name) {
    return runnable -> {
      Thread thread = new Thread(runnable, name);
      thread.setDaemon(true);
      return thread;
    };
  }
}
