package dev.datamigrations.runtime;

import java.time.Duration;
import java.util.List;

/**
 * What a run did.
 *
 * @param executed the migrations run, in the order they ran, with their durations
 * @param alreadyApplied how many of the verb's candidates were already applied and so skipped: for
 *     {@code migrate} every applied migration of the code, for {@code up} 1 or 0, for {@code down}
 *     and {@code rollback} 0
 * @param duration the whole run, lock and history read included
 * @param detached backfills started and left running in a background thread (see {@link
 *     MigrationRunner.Builder#detachBackfills}); the versions after them run there too, once they
 *     are done
 */
public record MigrateResult(
    List<MigrationExecution> executed,
    int alreadyApplied,
    Duration duration,
    List<MigrationDescriptor> detached) {

  public MigrateResult {
    executed = List.copyOf(executed);
    detached = List.copyOf(detached);
  }

  /** Returns a result with no detached backfill. */
  public MigrateResult(List<MigrationExecution> executed, int alreadyApplied, Duration duration) {
    this(executed, alreadyApplied, duration, List.of());
  }

  /** Returns the versions that ran, in order. */
  public List<Long> versions() {
    return executed.stream().map(e -> e.migration().version()).toList();
  }
}
