package dev.datamigrations.runtime.internal;

import dev.datamigrations.runtime.MigrationLockException;
import java.time.Duration;

/**
 * The bounded wait for a run lock: the deadline, the pauses between attempts, the timeout message.
 */
final class LockWait {
  private static final long FIRST_PAUSE_MILLIS = 10;
  private static final long LONGEST_PAUSE_MILLIS = 250;

  private final Duration timeout;
  private final long deadline;
  private long pause = FIRST_PAUSE_MILLIS;

  LockWait(Duration timeout) {
    this.timeout = timeout;
    this.deadline = System.nanoTime() + timeout.toNanos();
  }

  /** Returns the milliseconds left, at least 0. */
  long remainingMillis() {
    return Math.max(0, (deadline - System.nanoTime()) / 1_000_000);
  }

  boolean expired() {
    return deadline - System.nanoTime() <= 0;
  }

  /** Sleeps a little longer each time, never past the deadline. */
  void pause() {
    try {
      Thread.sleep(Math.max(1, Math.min(pause, remainingMillis())));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new MigrationLockException("Interrupted while waiting for the data migration lock", e);
    }
    pause = Math.min(LONGEST_PAUSE_MILLIS, pause * 2);
  }

  /**
   * Returns the exception for a wait that ran out.
   *
   * @param lock what the lock is, e.g. "PostgreSQL advisory lock 42"
   * @param check how to find who holds it
   */
  MigrationLockException timedOut(TableName history, String lock, String check) {
    return new MigrationLockException(
        "Timed out after "
            + timeout.toMillis()
            + " ms waiting for the data migration lock of history table "
            + history
            + " ("
            + lock
            + "): another run (another instance of the application, or the command line) holds it. "
            + check
            + " If that run is legitimately long, raise lockTimeout.");
  }
}
