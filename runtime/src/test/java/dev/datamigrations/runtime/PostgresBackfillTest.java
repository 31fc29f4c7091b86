package dev.datamigrations.runtime;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.jdbi.v3.core.Handle;
import org.junit.jupiter.api.Test;

/** The backfill suite on PostgreSQL, with its health check. */
class PostgresBackfillTest extends MultiWorkerBackfillContract {
  private static final TestDatabase DATABASE = TestDatabase.postgres();

  @Override
  TestDatabase database() {
    return DATABASE;
  }

  @Test
  void thePostgresHealthCheckSeesLongTransactions() throws Exception {
    PostgresHealthCheck strict = PostgresHealthCheck.withLimits(Duration.ofMillis(100), Duration.ofHours(1));
    PostgresHealthCheck lenient = PostgresHealthCheck.withLimits(Duration.ofHours(1), Duration.ofHours(1));
    try (Handle longTransaction = jdbi.open();
        Handle checker = jdbi.open()) {
      longTransaction.begin();
      longTransaction.createQuery("SELECT 1").mapTo(Integer.class).one();
      Thread.sleep(300);
      HealthCheck.Status status = strict.check(checker);
      assertFalse(status.healthy());
      assertTrue(status.reason().contains("transaction has been open"), status.reason());
      assertTrue(lenient.check(checker).healthy());
      longTransaction.rollback();
    }
  }
}
