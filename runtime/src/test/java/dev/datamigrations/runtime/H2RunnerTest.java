package dev.datamigrations.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.datamigrations.runtime.backfill.BackfillSettings;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The runner suite on H2, and what only H2 commits implicitly. */
class H2RunnerTest extends MigrationRunnerContract {
  private static final TestDatabase DATABASE = TestDatabase.h2();

  @Override
  TestDatabase database() {
    return DATABASE;
  }

  @Test
  void aFailedTransactionalMigrationLeavesNothingWhateverTransactionStatementItRan() {
    // Refused or harmless: either way, a failure afterwards rolls back everything the migration
    // did.
    for (String sql :
        List.of(
            "SET AUTOCOMMIT TRUE",
            "SET AUTOCOMMIT ON",
            "BEGIN",
            "BEGIN TRANSACTION",
            "START TRANSACTION")) {
      TestCatalog catalog =
          TestCatalog.builder()
              .add(1, insertItem(1, 1).andThen(h -> h.execute(sql)).andThen(fail("after " + sql)))
              .build();
      MigrationRunner runner = runner(catalog);

      MigrationFailedException failure =
          assertThrows(MigrationFailedException.class, runner::migrate, sql);

      assertEquals(List.of(), itemIds(), sql + ": the row inserted before it stays nowhere");
      assertEquals(RollbackOutcome.ROLLED_BACK, failure.outcome(), sql);
      assertEquals(Map.of(1L, MigrationState.PENDING), states(runner), sql);
    }
  }

  /**
   * A runner whose catalog lists no backfill never reads the backfill tables, whether or not it was
   * given {@code BackfillSettings} (the command line, Spring Boot, the console and the test kit
   * always give them): {@code status}, {@code pending} and {@code assertNoPending} read the history
   * only, so an application's own table that happens to be named {@code <history>_progress} is none
   * of their business.
   */
  @Test
  void aRunnerGivenBackfillSettingsForACatalogWithoutBackfillsNeverReadsTheBackfillTables() {
    TestCatalog catalog = TestCatalog.builder().add(1, insertItem(1, 1)).build();
    jdbi.useHandle(h -> h.execute("CREATE TABLE " + history + "_progress (note VARCHAR(20))"));
    try {
      MigrationRunner runner = configure(catalog).with(BackfillSettings.defaults()).build();
      assertEquals(List.of(1L), runner.migrate().versions());
      assertEquals(Map.of(1L, MigrationState.APPLIED), states(runner));
      assertEquals(List.of(), runner.pending());
      runner.assertNoPending();
    } finally {
      jdbi.useHandle(h -> h.execute("DROP TABLE " + history + "_progress"));
    }
  }
}
