package dev.datamigrations.runtime.backfill;

import java.time.Duration;
import java.util.Objects;

/**
 * Makes a backfill yield to the application: just before each batch commits, while it still holds
 * the batch's row locks, the worker asks the database whether another session is waiting on a lock
 * this worker holds (PostgreSQL: {@code pg_blocking_pids}). If one is, the worker halves its batch
 * size (down to {@code minBatchSize}) and pauses for {@code pause} before its next batch; after
 * {@code growAfter} batches in a row that blocked nobody, it doubles the size again (up to the
 * configured {@link BackfillSettings#batchSize()}, or the tuner's bounds). Asked on the worker's
 * own connection, so it needs no second one. While it is on, a worker also leaves the database to
 * busy sessions for longer: after each batch, while another session is busy, it pauses {@code
 * busyPause} times the batch's duration (see {@link BackfillSettings.Builder#busyPause}; the larger
 * of the two multiples is used). PostgreSQL only: elsewhere the backfill refuses to start with it.
 *
 * @param minBatchSize the smallest batch it shrinks to, at least 1
 * @param pause the pause after a batch that blocked a session
 * @param growAfter how many batches in a row must block nobody before the size doubles, at least 1
 * @param busyPause the multiple of a batch's duration paused after it while another session is
 *     busy, at least 0
 */
public record LockWaitThrottle(int minBatchSize, Duration pause, int growAfter, double busyPause) {

  public LockWaitThrottle {
    if (minBatchSize < 1) {
      throw new IllegalArgumentException("minBatchSize must be at least 1, was " + minBatchSize);
    }
    if (Objects.requireNonNull(pause, "pause").isNegative()) {
      throw new IllegalArgumentException("pause must not be negative, was " + pause);
    }
    if (growAfter < 1) {
      throw new IllegalArgumentException("growAfter must be at least 1, was " + growAfter);
    }
    if (!(busyPause >= 0) || Double.isInfinite(busyPause)) {
      throw new IllegalArgumentException(
          "busyPause must be a finite multiple of at least 0, was " + busyPause);
    }
  }

  /** Returns a throttle with {@link #defaults()}'s busy pause, 6.0. */
  public LockWaitThrottle(int minBatchSize, Duration pause, int growAfter) {
    this(minBatchSize, pause, growAfter, 6.0);
  }

  /**
   * Returns the defaults: shrink to 100 keys at least, pause 100 ms, grow after 5 clear batches,
   * and while another session is busy pause 6 times each batch's duration (the application gets the
   * database six sevenths of the time).
   */
  public static LockWaitThrottle defaults() {
    return new LockWaitThrottle(100, Duration.ofMillis(100), 5, 6.0);
  }

  /**
   * Returns the next batch size after a batch that blocked a session ({@code blocked}) or not,
   * {@code clearInARow} being the batches in a row that blocked nobody, this one included, and
   * {@code ceiling} the largest size allowed.
   */
  public int next(int size, boolean blocked, int clearInARow, int ceiling) {
    if (blocked) {
      return Math.max(minBatchSize, Math.min(size, ceiling) / 2);
    }
    if (clearInARow >= growAfter && size < ceiling) {
      return (int) Math.min(ceiling, 2L * size);
    }
    return size;
  }
}
