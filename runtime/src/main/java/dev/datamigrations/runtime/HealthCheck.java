package dev.datamigrations.runtime;

import org.jdbi.v3.core.Handle;

/**
 * Tells a backfill's workers whether the database can take another batch; asked before each batch. While it
 * answers unhealthy, the worker backs off (doubling its wait up to a bound) and asks again. See
 * {@link PostgresHealthCheck} for PostgreSQL.
 */
@FunctionalInterface
public interface HealthCheck {

  /** Returns whether to go on; runs on the worker's handle, outside any batch transaction. */
  Status check(Handle handle);

  /** Returns a check that always answers healthy (the default). */
  static HealthCheck none() {
    return handle -> Status.HEALTHY;
  }

  /**
   * A health check's answer.
   *
   * @param healthy whether the next batch may run
   * @param reason why not, for the log; empty when healthy
   */
  record Status(boolean healthy, String reason) {
    public static final Status HEALTHY = new Status(true, "");

    /** Returns an answer that makes the worker back off, saying why. */
    public static Status unhealthy(String reason) {
      return new Status(false, reason);
    }
  }
}
