package dev.datamigrations.console;

import dev.datamigrations.runtime.MigrationDescriptor;
import dev.datamigrations.runtime.backfill.BackfillListener;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Remembers, per backfill, the last time a worker of this process backed off and why: heard through
 * {@link BackfillListener#backfillThrottled}, so only for runners in this process that have it as a
 * listener. One entry per version, so bounded by the catalog.
 */
final class Throttles implements BackfillListener {
  /** The last back-off of one backfill. */
  record Throttle(String reason, Duration backOff, Instant at) {
    /** Returns whether the worker is still waiting (the back-off has not run out yet). */
    boolean waitingAt(Instant now) {
      return !at.plus(backOff).isBefore(now);
    }
  }

  private final Map<Long, Throttle> last = new ConcurrentHashMap<>();
  private final Clock clock;

  Throttles(Clock clock) {
    this.clock = clock;
  }

  @Override
  public void backfillThrottled(MigrationDescriptor backfill, String reason, Duration wait) {
    last.put(backfill.version(), new Throttle(Redaction.scrub(reason), wait, clock.instant()));
  }

  Optional<Throttle> last(long version) {
    return Optional.ofNullable(last.get(version));
  }
}
