package dev.datamigrations.runtime.backfill;

import dev.datamigrations.runtime.MigrationDescriptor;
import java.util.Objects;
import java.util.Optional;
import org.jdbi.v3.core.Handle;

/**
 * Tells a backfill's workers whether the database can take another batch; asked before each batch.
 * While it answers unhealthy, the worker backs off (doubling its wait up to a bound) and asks
 * again. A check that throws counts as unhealthy, with the exception as the reason: the worker
 * backs off, it does not stop. See {@link PostgresHealthCheck} for PostgreSQL and {@link
 * MariaDbHealthCheck} for MySQL and MariaDB.
 *
 * <p>The worker asks {@link #check(Handle, Context)}, telling which backfill asks and which table
 * it walks; its default asks {@link #check(Handle)}, so a lambda answers for every backfill alike,
 * and a check that watches the walked table (autovacuum on it, as {@link
 * PostgresHealthCheck#withAutovacuumOnTable()}) overrides it.
 */
@FunctionalInterface
public interface HealthCheck {

  /**
   * Returns whether to go on; runs on the worker's handle, in auto-commit mode, outside any batch
   * transaction. Throwing counts as unhealthy.
   */
  Status check(Handle handle);

  /**
   * Returns whether to go on for the backfill {@code context} names; what the worker asks, on its
   * handle, in auto-commit mode, outside any batch transaction. The default asks {@link
   * #check(Handle)}. Throwing counts as unhealthy.
   */
  default Status check(Handle handle, Context context) {
    return check(handle);
  }

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
   * What a health check is asked about: the backfill whose worker asks and, when it walks a table,
   * that table (GitLab's health indicators get the same: the migration's tables).
   *
   * @param backfill the asking backfill
   * @param walked the {@link KeyRange} of a {@link Backfill} (the table it walks, its key and
   *     filter); empty for a {@link QueryBackfill} and a {@link CsvBackfill}, which walk no one
   *     table
   */
  record Context(MigrationDescriptor backfill, Optional<KeyRange> walked) {
    public Context {
      Objects.requireNonNull(backfill, "backfill");
      Objects.requireNonNull(walked, "walked");
    }
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
