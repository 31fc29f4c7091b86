package dev.datamigrations.runtime;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What a dry run ({@link MigrationRunner#dryRun()}) found; nothing it ran was committed.
 *
 * @param verb the verb dry-run, as the log names it: {@code migrate}, {@code up 20240101000000},
 *     {@code down ...}, {@code rollback 2}
 * @param entries one per migration the real verb would run, in its order: an empty list when there
 *     is nothing to do
 * @param alreadyApplied as {@link MigrateResult#alreadyApplied()}: the verb's candidates skipped
 *     because they are applied
 * @param runLockHeld whether the dry run held the run lock, so that no real run changed the history
 *     while it planned and ran. False only on a database whose lock is a row of the lock table (H2,
 *     and databases without a named lock) where that table does not exist yet: a dry run creates no
 *     table, so it ran unlocked there
 * @param duration the whole dry run, lock and rollback included
 */
public record DryRunReport(
    String verb,
    List<DryRunEntry> entries,
    int alreadyApplied,
    boolean runLockHeld,
    Duration duration) {

  public DryRunReport {
    Objects.requireNonNull(verb, "verb");
    Objects.requireNonNull(duration, "duration");
    entries = List.copyOf(entries);
  }

  /**
   * Returns the migration at which the real verb would stop (it would fail or be refused), if any.
   */
  public Optional<DryRunEntry> stoppedAt() {
    return entries.stream().filter(DryRunEntry::stopsTheRun).findFirst();
  }

  /**
   * Returns whether every migration the dry run could run would succeed: none would fail or be
   * refused. Entries that could not be dry-run ({@link DryRunOutcome#NOT_DRY_RUNNABLE}) do not
   * count against it; {@link #fullyDryRun()} tells them apart.
   */
  public boolean wouldSucceed() {
    return stoppedAt().isEmpty();
  }

  /** Returns whether every planned migration ran in the dry run and would succeed. */
  public boolean fullyDryRun() {
    return entries.stream().allMatch(e -> e.outcome() == DryRunOutcome.WOULD_SUCCEED);
  }

  /** Returns the rows changed by every migration that ran, in all. */
  public long rowsChanged() {
    return entries.stream().mapToLong(DryRunEntry::rowsChanged).sum();
  }

  /** Returns the statements issued by every migration that ran, in all. */
  public long statementCount() {
    return entries.stream().mapToLong(DryRunEntry::statementCount).sum();
  }
}
