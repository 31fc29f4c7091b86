package dev.datamigrations.runtime.backfill;

import org.jdbi.v3.core.Handle;

/**
 * Tells a backfill's workers whether the database can take another batch; asked before each batch.
 * While it answers unhealthy, the worker backs off (doubling its wait up to a bound) and asks
 * again. A check that throws counts as unhealthy, with the exception as the reason: the worker
 * backs off, it does not stop. See {@link PostgresHealthCheck} for PostgreSQL.
 */
@FunctionalInterface
public interface HealthCheck {

  /**
   * Returns whether to go on; runs on the worker's handle, in auto-commit mode, outside any batch
   * transaction. Throwing counts as unhealthy.
   */
  Status check(Handle handle);

  /**
   * Checks once, under the run lock before a backfill starts or resumes in this process, that this
   * check can see what it needs on this database; throws (with the fix in the message) if it
   * cannot, and the backfill is then not run. A check that could only ever answer "healthy" here
   * must throw rather than let a backfill run unguarded. The default checks nothing.
   */
  default void verify(Handle handle) {}

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
