package dev.datamigrations.testing;

import java.util.Locale;

/** The step of a {@link MigrationTester} assertion that failed, named in its message. */
public enum Phase {
  /** The "before" check, before {@code up}. */
  BEFORE("before: the \"before\" check, before up ran"),
  /** The migration's {@code up} (for a backfill, its batches). */
  UP("up: the migration's up"),
  /** The "after" check, after {@code up}. */
  AFTER("after: the \"after\" check, after up ran"),
  /** The migration's {@code down}. */
  DOWN("down: the migration's down"),
  /** The "before" check run again after {@code down}: what {@code down} failed to restore. */
  BEFORE_AGAIN("before again: the \"before\" check, run again after down"),
  /** The migration's first run, in {@code assertIdempotent}. */
  FIRST_RUN("first run: up, the first time"),
  /** The migration's second run, after its history row was deleted, in {@code assertIdempotent}. */
  SECOND_RUN("second run: up again, after its history row was deleted"),
  /** The comparison of the tables after the two runs, in {@code assertIdempotent}. */
  SAME_RESULT("same result: the tables after the second run compared with those after the first"),
  /** A check after one batch of a backfill, in {@code runBackfill}. */
  BATCH("batch: the check after one batch, in that batch's transaction");

  private final String description;

  Phase(String description) {
    this.description = description;
  }

  /**
   * Returns the phase as its messages name it, e.g. {@code before again: the "before" check, run
   * again after down}.
   */
  public String description() {
    return description;
  }

  /** Returns the short name, {@code before again}. */
  public String shortName() {
    return name().toLowerCase(Locale.ROOT).replace('_', ' ');
  }
}
