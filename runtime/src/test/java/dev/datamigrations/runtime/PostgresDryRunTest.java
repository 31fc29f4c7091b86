package dev.datamigrations.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The dry-run suite on Postgres. */
class PostgresDryRunTest extends DryRunContract {
  private static final TestDatabase DATABASE = TestDatabase.postgres();

  @Override
  TestDatabase database() {
    return DATABASE;
  }

  @Override
  boolean commitsDdlImplicitly() {
    return false;
  }

  @Override
  boolean runsSeveralStatementsInOneString() {
    return true;
  }

  @Test
  void aConnectionKilledMidDryRunReportsNoSuccessAndLeavesNothingCommitted() {
    TestCatalog catalog =
        TestCatalog.builder()
            .add(
                1,
                h -> {
                  h.execute("UPDATE " + items + " SET hits = 7");
                  int pid = h.createQuery("SELECT pg_backend_pid()").mapTo(Integer.class).one();
                  keeper
                      .createQuery("SELECT pg_terminate_backend(:pid)")
                      .bind("pid", pid)
                      .mapTo(Boolean.class)
                      .one();
                  try {
                    h.execute("UPDATE " + items + " SET hits = 8");
                  } catch (RuntimeException swallowed) {
                    // A migration that hides the failure must not turn the dry run into a success.
                  }
                })
            .build();
    List<String> before = snapshot();

    DataMigrationException failed =
        assertThrows(DataMigrationException.class, () -> runner(catalog).dryRun().migrate());

    assertTrue(failed.getMessage().contains("could not roll back"), failed.getMessage());
    assertEquals(before, snapshot(), "nothing committed");
    assertEquals(
        1,
        runner(TestCatalog.builder().add(1, mark("one")).build()).migrate().executed().size(),
        "the lock was let go");
  }
}
