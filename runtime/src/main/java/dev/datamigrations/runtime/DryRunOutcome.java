package dev.datamigrations.runtime;

/** What a dry run found for one planned migration. */
public enum DryRunOutcome {
  /** It ran to its end inside the dry run's transaction, which was then rolled back. */
  WOULD_SUCCEED,
  /**
   * It threw (or was refused a statement, such as DDL where the database commits it implicitly, or
   * a commit of its own): the real verb would fail on it too, roll it back and stop there.
   */
  WOULD_FAIL,
  /**
   * The real verb would refuse it before running it (a cancelled backfill, a backfill whose key
   * column cannot be walked), and stop there.
   */
  REFUSED,
  /**
   * Not run: it cannot run inside a transaction that is rolled back ({@code transactional = false},
   * a backfill). The reason says why; a backfill's entry carries an estimate instead.
   */
  NOT_DRY_RUNNABLE,
  /**
   * Not run: planned after a migration that would fail or be refused, where the real verb stops.
   */
  NOT_REACHED
}
