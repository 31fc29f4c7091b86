package dev.datamigrations.runtime.internal;

import dev.datamigrations.runtime.Direction;
import dev.datamigrations.runtime.IrreversibleMigrationException;
import dev.datamigrations.runtime.MigrationDescriptor;
import dev.datamigrations.runtime.MigrationNotAppliedException;
import dev.datamigrations.runtime.MigrationProgress;
import dev.datamigrations.runtime.MigrationState;
import dev.datamigrations.runtime.MigrationStatus;
import dev.datamigrations.runtime.OutOfOrderMigrationException;
import dev.datamigrations.runtime.OutOfOrderPolicy;
import dev.datamigrations.runtime.UnknownMigrationVersionException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Decides what each verb runs by comparing the code with one read of the history. Pure: it changes
 * nothing, so every refusal (unknown version, irreversible, out of order) happens before anything
 * changes.
 */
public final class Planner {
  private final CatalogIndex catalog;
  private final AppliedHistory history;
  private final Map<Long, MigrationProgress> progress;

  /**
   * @param progress the started backfills' progress by version, for {@link #status()}; may be empty
   *     for the verbs that change data
   */
  public Planner(
      CatalogIndex catalog, AppliedHistory history, Map<Long, MigrationProgress> progress) {
    this.catalog = catalog;
    this.history = history;
    this.progress = progress;
  }

  /**
   * Plans {@code migrate}: every pending migration, ascending. A pending version below the newest
   * applied one is out of order: applied, or refused with {@code policy} REFUSE.
   */
  public Plan migrate(OutOfOrderPolicy policy) {
    List<Step> steps = new ArrayList<>();
    int alreadyApplied = 0;
    for (CatalogIndex.Entry entry : catalog.ascending()) {
      long version = entry.descriptor().version();
      if (history.isApplied(version)) {
        alreadyApplied++;
      } else {
        steps.add(new Step(entry, Direction.UP, version < history.newestVersion()));
      }
    }
    List<Step> outOfOrder = steps.stream().filter(Step::outOfOrder).toList();
    if (policy == OutOfOrderPolicy.REFUSE && !outOfOrder.isEmpty()) {
      throw new OutOfOrderMigrationException(
          outOfOrder.size()
              + " pending data migration(s) are older than the newest applied version "
              + history.newestVersion()
              + ", and the out-of-order policy is REFUSE: "
              + outOfOrder.stream()
                  .map(s -> s.descriptor().toString())
                  .collect(Collectors.joining(", "))
              + ". None of them was run. Apply them one by one with up(version), or allow them with"
              + " outOfOrder(OutOfOrderPolicy.APPLY).");
    }
    return new Plan(steps, alreadyApplied);
  }

  /** Returns what {@code migrate} would run, ignoring the out-of-order policy. */
  public List<MigrationDescriptor> pending() {
    return migrate(OutOfOrderPolicy.APPLY).steps().stream().map(Step::descriptor).toList();
  }

  /**
   * Returns whether {@code version} is a backfill that started (running, paused or cancelled; not
   * applied).
   */
  public boolean started(long version) {
    return progress.containsKey(version) && !history.isApplied(version);
  }

  /** Plans {@code up(version)}: nothing if it is applied. */
  public Plan up(long version) {
    CatalogIndex.Entry entry = known(version);
    if (history.isApplied(version)) {
      return new Plan(List.of(), 1);
    }
    return new Plan(List.of(new Step(entry, Direction.UP, version < history.newestVersion())), 0);
  }

  /** Plans {@code down(version)}; refuses a version that is not applied or cannot be reverted. */
  public Plan down(long version) {
    CatalogIndex.Entry entry = known(version);
    if (!history.isApplied(version)) {
      throw new MigrationNotAppliedException(
          "Cannot revert data migration "
              + entry.descriptor()
              + ": it is not applied. Nothing was changed.",
          version);
    }
    checkReversible(entry, "revert");
    return new Plan(List.of(new Step(entry, Direction.DOWN, false)), 0);
  }

  /**
   * Plans {@code rollback(steps)}: the {@code steps} highest applied versions, highest first (by
   * version, the order they would have been applied in, not by applied-at: an out-of-order version
   * is reverted in its place). Refuses, before anything changes, if one of them is no longer in the
   * code or cannot be reverted.
   */
  public Plan rollback(int steps) {
    if (steps < 1) {
      throw new IllegalArgumentException("rollback steps must be at least 1, was " + steps);
    }
    List<Step> plan = new ArrayList<>();
    for (AppliedMigration row : full("rollback").newestFirst()) {
      if (plan.size() == steps) {
        break;
      }
      CatalogIndex.Entry entry = catalog.get(row.version());
      if (entry == null) {
        throw new UnknownMigrationVersionException(
            "Cannot roll back data migration "
                + row.version()
                + " ("
                + row.description()
                + ", "
                + row.className()
                + "): it is applied but no longer in the code, so its down(Handle) cannot run. Nothing was"
                + " changed. Revert it by hand and delete its history row, or revert older versions one by one"
                + " with down(version).",
            row.version(),
            catalog.versions());
      }
      checkReversible(entry, "roll back");
      plan.add(new Step(entry, Direction.DOWN, false));
    }
    return new Plan(plan, 0);
  }

  /** Returns every version known to the code or the history, ascending. */
  public List<MigrationStatus> status() {
    TreeSet<Long> versions = new TreeSet<>();
    catalog.ascending().forEach(e -> versions.add(e.descriptor().version()));
    full("status").ascending().forEach(row -> versions.add(row.version()));
    List<MigrationStatus> status = new ArrayList<>(versions.size());
    for (long version : versions) {
      CatalogIndex.Entry entry = catalog.get(version);
      AppliedMigration row = history.row(version).orElse(null);
      if (entry == null) {
        status.add(
            new MigrationStatus(
                version,
                MigrationState.REMOVED,
                row.description(),
                row.className(),
                false,
                row.appliedAt(),
                row.appliedBy(),
                Duration.ofMillis(row.executionMillis()),
                row.reason()));
      } else {
        MigrationDescriptor d = entry.descriptor();
        MigrationProgress started = d.backfill() ? progress.get(version) : null;
        MigrationState state =
            row != null
                ? MigrationState.APPLIED
                : started == null
                    ? MigrationState.PENDING
                    : started.cancelled()
                        ? MigrationState.CANCELLED
                        : started.failed() ? MigrationState.FAILED : MigrationState.RUNNING;
        status.add(
            row == null
                ? new MigrationStatus(
                    version,
                    state,
                    d.description(),
                    d.className(),
                    d.reversible(),
                    null,
                    null,
                    null,
                    null,
                    started)
                : new MigrationStatus(
                    version,
                    MigrationState.APPLIED,
                    d.description(),
                    d.className(),
                    d.reversible(),
                    row.appliedAt(),
                    row.appliedBy(),
                    Duration.ofMillis(row.executionMillis()),
                    row.reason(),
                    started));
      }
    }
    return status;
  }

  /** Returns the full read a verb that lists rows needs; the engine plans those verbs on one. */
  private History full(String verb) {
    if (history instanceof History full) {
      return full;
    }
    throw new IllegalStateException(
        verb + " needs the history's rows, but was planned on its versions only");
  }

  private CatalogIndex.Entry known(long version) {
    CatalogIndex.Entry entry = catalog.get(version);
    if (entry == null) {
      AppliedMigration row = history.row(version).orElse(null);
      throw new UnknownMigrationVersionException(
          "No data migration with version "
              + version
              + " in the code"
              + (row == null
                  ? ""
                  : " (the history says it was applied as "
                      + row.description()
                      + ", "
                      + row.className()
                      + ", since removed from the code)")
              + ". Known versions: "
              + catalog.knownVersions()
              + ". Nothing was changed.",
          version,
          catalog.versions());
    }
    return entry;
  }

  private static void checkReversible(CatalogIndex.Entry entry, String verb) {
    if (!entry.descriptor().reversible()) {
      throw new IrreversibleMigrationException(
          "Cannot "
              + verb
              + " data migration "
              + entry.descriptor()
              + ": it does not override down(Handle), so it is irreversible. Nothing was changed.",
          entry.descriptor().version(),
          entry.descriptor().className());
    }
  }
}
