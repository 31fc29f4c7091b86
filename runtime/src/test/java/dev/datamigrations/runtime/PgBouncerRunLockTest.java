package dev.datamigrations.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Arrays;
import java.util.List;
import org.jdbi.v3.core.Handle;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.postgresql.PGConnection;

/**
 * The run-lock suite on PostgreSQL through PgBouncer in transaction pooling mode, with fewer server
 * connections than runners: a session advisory lock guards nothing there, so the runner must notice
 * the pooler and hold the lock in a transaction of its own; every migration's effect must still be
 * applied exactly as the history says.
 */
class PgBouncerRunLockTest extends RunLockContract {
  private static PgBouncer bouncer;
  private static TestDatabase database;

  @BeforeAll
  static void startPgBouncer() throws Exception {
    TestDatabase.postgres().assumeReachable();
    String name = TestDatabase.database("PG");
    bouncer = PgBouncer.start(name);
    database =
        new TestDatabase(
            "PostgreSQL through PgBouncer (transaction pooling)",
            bouncer.url(name),
            "postgres",
            "",
            "\"");
  }

  @AfterAll
  static void stopPgBouncer() {
    if (bouncer != null) {
      bouncer.close();
    }
  }

  @Override
  TestDatabase database() {
    return database;
  }

  /** Fewer rounds than directly: each run opens a second connection, and waiters poll. */
  @Override
  int rounds() {
    return 30;
  }

  @Override
  List<String> schemaSpellings() {
    return Arrays.asList(null, "public", "PUBLIC");
  }

  @Override
  boolean tableNamesIgnoreCase() {
    return true;
  }

  /** Behind a pooler the lock is a transaction held open on a connection of its own. */
  @Override
  boolean lockNeedsSecondConnection() {
    return true;
  }

  @Override
  void killLockSession(Handle admin, String history) {
    int killed =
        admin
            .createQuery(
                "SELECT COUNT(pg_terminate_backend(pid, 10000)) FROM pg_locks WHERE locktype = 'advisory' AND granted"
                    + " AND database = (SELECT oid FROM pg_database WHERE datname = current_database())")
            .mapTo(Integer.class)
            .one();
    assertEquals(1, killed, "sessions holding an advisory lock");
  }

  /**
   * The premise: through PgBouncer, the backend id a client got at start-up is not its server
   * session's.
   */
  @Test
  void pgBouncerHidesTheServerSessionThatRunsTheStatements() throws Exception {
    try (Connection connection = DriverManager.getConnection(database.url(), "postgres", "");
        Statement statement = connection.createStatement();
        ResultSet pid = statement.executeQuery("SELECT pg_backend_pid()")) {
      pid.next();
      assertNotEquals(
          connection.unwrap(PGConnection.class).getBackendPID(), pid.getInt(1), bouncer.log());
    }
  }
}
