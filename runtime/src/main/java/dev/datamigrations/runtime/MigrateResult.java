package dev.datamigrations.runtime;

import java.time.Duration;
import java.util.List;

/**
 * What a run did.
 *
 * @param executed the migrations run, in the order they ran, with their durations
 * @param alreadyApplied how many of the verb's candidates were already applied and so skipped: for
 *     {@code migrate} every applied migration of the code, for {@code up} 1 or 0, for {@code down} and
 *     {@code rollback} 0
 * @param duration the whole run, lock and history read included
 */
public record MigrateResult(List<MigrationExecution> executed, int alreadyApplied, Duration duration) {

  public MigrateResult {
    executed = List.copyOf(executed);
  }

  /** Returns the versions that ran, in order. */
  public List<Long> versions() {
    return executed.stream().map(e -> e.migration().version()).toList();
  }
}
