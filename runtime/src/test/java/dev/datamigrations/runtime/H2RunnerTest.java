package dev.datamigrations.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

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
}
