package dev.datamigrations.runtime;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * What a dry run found for one planned migration, in the order the real verb would run it.
 *
 * @param migration the migration
 * @param direction {@code UP} for {@code migrate} and {@code up}, {@code DOWN} for {@code down} and
 *     {@code rollback}
 * @param outcome what happened to it
 * @param reason why it would fail, was refused or could not be dry-run, credentials masked; null
 *     exactly when the outcome is {@link DryRunOutcome#WOULD_SUCCEED}
 * @param statements the statements it issued, in order, identical neighbours merged; at most
 *     {@value #MAX_STATEMENTS} lines (the counts below count them all)
 * @param statementCount how many statements it issued in all
 * @param rowsChanged the rows its statements inserted, updated or deleted in all, as far as the
 *     driver told (see {@link DryRunStatement#rowsChanged()})
 * @param duration how long it ran inside the dry run's transaction; zero if it did not run
 * @param estimate for a backfill that was not run, what it would walk; null otherwise
 * @param withoutEffectsOf the versions planned before it that were not run ({@link
 *     DryRunOutcome#NOT_DRY_RUNNABLE}): it ran without their changes, which the real verb would
 *     have made, so its own counts may differ from the real run's
 */
public record DryRunEntry(
    MigrationDescriptor migration,
    Direction direction,
    DryRunOutcome outcome,
    String reason,
    List<DryRunStatement> statements,
    long statementCount,
    long rowsChanged,
    Duration duration,
    BackfillEstimate estimate,
    List<Long> withoutEffectsOf) {

  /** The most statement lines an entry keeps. */
  public static final int MAX_STATEMENTS = 1000;

  public DryRunEntry {
    Objects.requireNonNull(migration, "migration");
    Objects.requireNonNull(direction, "direction");
    Objects.requireNonNull(outcome, "outcome");
    Objects.requireNonNull(duration, "duration");
    statements = List.copyOf(statements);
    withoutEffectsOf = List.copyOf(withoutEffectsOf);
    if ((reason == null) != (outcome == DryRunOutcome.WOULD_SUCCEED)) {
      throw new IllegalArgumentException(
          "DryRunEntry of "
              + migration
              + ": a reason is given exactly when the outcome is not WOULD_SUCCEED, but the outcome is "
              + outcome
              + " and the reason "
              + reason);
    }
    if (estimate != null && !migration.backfill()) {
      throw new IllegalArgumentException(
          "DryRunEntry of " + migration + ": only a backfill has an estimate");
    }
  }

  /** Returns the entry of a migration that was not run, with {@code reason}. */
  public static DryRunEntry notRun(
      MigrationDescriptor migration,
      Direction direction,
      DryRunOutcome outcome,
      String reason,
      BackfillEstimate estimate,
      List<Long> withoutEffectsOf) {
    return new DryRunEntry(
        migration,
        direction,
        outcome,
        reason,
        List.of(),
        0,
        0,
        Duration.ZERO,
        estimate,
        withoutEffectsOf);
  }

  /** Returns whether the real verb would stop at this migration: it would fail or be refused. */
  public boolean stopsTheRun() {
    return outcome == DryRunOutcome.WOULD_FAIL || outcome == DryRunOutcome.REFUSED;
  }
}
