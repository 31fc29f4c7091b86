package dev.datamigrations.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The runner suite on MariaDb, and what only MySQL/MariaDB commit implicitly. */
class MariaDbRunnerTest extends MigrationRunnerContract {
  private static final TestDatabase DATABASE = TestDatabase.mariadb();

  @Override
  TestDatabase database() {
    return DATABASE;
  }

  @Test
  void switchingAutocommitOnInSqlIsRefusedInEverySpelling() {
    // Switching autocommit on commits the open transaction: the row inserted before it would stay.
    for (String sql :
        List.of(
            "SET SESSION autocommit = 1",
            "SET @@autocommit = 1",
            "SET @@session.autocommit = ON",
            "SET sql_mode = DEFAULT, autocommit = 1")) {
      TestCatalog catalog =
          TestCatalog.builder()
              .add(1, insertItem(1, 1).andThen(h -> h.execute(sql)).andThen(fail("after " + sql)))
              .build();
      MigrationRunner runner = runner(catalog);

      MigrationFailedException failure =
          assertThrows(MigrationFailedException.class, runner::migrate, sql);

      assertEquals(List.of(), itemIds(), sql + ": the row inserted before it stays nowhere");
      assertTrue(
          failure.getCause() instanceof CommitRefusedException, sql + ": " + failure.getMessage());
      assertEquals(RollbackOutcome.ROLLED_BACK, failure.outcome(), sql);
      assertEquals(Map.of(1L, MigrationState.PENDING), states(runner), sql);
    }
  }
}
