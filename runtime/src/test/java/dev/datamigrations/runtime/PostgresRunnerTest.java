package dev.datamigrations.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The runner suite on Postgres, and the failure outcomes only a server shows (a failed COMMIT, a
 * lost session).
 */
class PostgresRunnerTest extends MigrationRunnerContract {
  private static final TestDatabase DATABASE = TestDatabase.postgres();

  @Override
  TestDatabase database() {
    return DATABASE;
  }

  @Test
  void aFailedCommitSaysItsOutcomeIsUnknown() {
    String deferred = history + "_deferred";
    jdbi.useHandle(
        h ->
            h.execute(
                "CREATE TABLE " + deferred + " (id INT UNIQUE DEFERRABLE INITIALLY DEFERRED)"));
    try {
      // The duplicate passes every statement and fails the COMMIT, where the deferred constraint is
      // checked.
      TestCatalog catalog =
          TestCatalog.builder()
              .add(1, h -> h.execute("INSERT INTO " + deferred + " (id) VALUES (1), (1)"))
              .build();

      MigrationFailedException failure =
          assertThrows(MigrationFailedException.class, runner(catalog)::migrate);

      assertEquals(RollbackOutcome.COMMIT_OUTCOME_UNKNOWN, failure.outcome());
      assertTrue(
          failure.getMessage().contains("the commit's outcome is unknown; check status"),
          failure.getMessage());
      assertEquals(
          Map.of(1L, MigrationState.PENDING), states(runner(catalog)), "here it did not commit");
    } finally {
      jdbi.useHandle(h -> h.execute("DROP TABLE IF EXISTS " + deferred));
    }
  }

  @Test
  void aLostSessionSaysTheRollbackFailedAndTheDatabaseDiscardsTheTransaction() {
    TestCatalog catalog =
        TestCatalog.builder()
            .add(
                1,
                insertItem(1, 1)
                    .andThen(h -> h.execute("SELECT pg_terminate_backend(pg_backend_pid())")))
            .build();

    MigrationFailedException failure =
        assertThrows(MigrationFailedException.class, runner(catalog)::migrate);

    assertEquals(RollbackOutcome.ROLLBACK_FAILED, failure.outcome());
    assertTrue(
        failure
            .getMessage()
            .contains(
                "the database discards an uncommitted transaction when the connection closes"),
        failure.getMessage());
    assertEquals(List.of(), itemIds());
    assertEquals(Map.of(1L, MigrationState.PENDING), states(runner(catalog)));
  }

  @Test
  void aTransactionalMigrationWithPlpgsqlBodiesIsNotMistakenForACommit() {
    // A PL/pgSQL body is dollar-quoted; its statements (and the END that closes its block) are not
    // the
    // migration's. PostgreSQL rolls the function back with the data, so nothing here must be
    // refused.
    String function = history + "_fn";
    TestCatalog catalog =
        TestCatalog.builder()
            .add(
                1,
                h -> {
                  h.execute(
                      "DO $$ BEGIN INSERT INTO " + items + " (id, name) VALUES (1, 'a'); END $$");
                  h.execute(
                      "CREATE FUNCTION "
                          + function
                          + "() RETURNS void LANGUAGE plpgsql AS $body$\n"
                          + "BEGIN\n  INSERT INTO "
                          + items
                          + " (id, name) VALUES (2, 'b');\n"
                          + "  COMMIT;\nEND;\n$body$");
                })
            .build();
    try {
      runner(catalog).migrate();

      assertEquals(List.of(1), itemIds());
      assertEquals(Map.of(1L, MigrationState.APPLIED), states(runner(catalog)));
    } finally {
      jdbi.useHandle(h -> h.execute("DROP FUNCTION IF EXISTS " + function + "()"));
    }
  }
}
