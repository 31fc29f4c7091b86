package dev.datamigrations.runtime.internal;

import dev.datamigrations.runtime.MigrationLockException;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Locale;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The lock a run holds for its whole duration so that concurrent runners apply each migration once;
 * of a kind the database releases when the process dies, so that a killed run leaves no stale lock.
 *
 * <p>The lock is keyed on the history table as the database resolves it (the schema the connection
 * resolves the name in, and the name in lower case), so that every spelling of one table ({@code
 * DATA_MIGRATIONS}, {@code public.data_migrations}, the defaults) shares one lock. Lower case for
 * every database: two tables whose names differ only by case then share a lock too, which only
 * serializes their runs.
 *
 * <p>Session-level locks are taken on the connection that runs the migrations (their commits do not
 * release them, and a run then needs one connection); a lock held by an open transaction (the lock
 * table's row lock, or PostgreSQL's lock behind a connection pooler) needs a connection of its own,
 * which the run gets from {@code ownConnection}.
 */
public interface RunLock extends AutoCloseable {

  /**
   * Takes the lock that guards {@code history}, waiting up to {@code timeout}.
   *
   * <ul>
   *   <li>PostgreSQL: an advisory lock, see {@link AdvisoryRunLock}: a session lock on {@code
   *       migrations} when the connection reaches the server directly; behind a pooler (PgBouncer),
   *       a transaction lock held open on a connection of its own.
   *   <li>MySQL, MariaDB: a named lock ({@code GET_LOCK}) on {@code migrations}, see {@link
   *       NamedRunLock}.
   *   <li>SQLite: an operating-system lock on a file next to the database, see {@link FileRunLock}.
   *   <li>H2 and others: a row lock ({@code SELECT ... FOR UPDATE}) on a one-row lock table, held
   *       by an open transaction on a connection of its own, see {@link LockTableRunLock}.
   * </ul>
   *
   * @param migrations the connection the migrations run on, in auto-commit mode
   * @param ownConnection opens a connection for the lock alone, when the lock needs one
   * @throws MigrationLockException if the wait runs out
   */
  public static RunLock acquire(
      Dialect dialect,
      Connection migrations,
      Supplier<ConnectionSource.Lease> ownConnection,
      TableName history,
      Duration timeout) {
    return acquire(dialect, migrations, ownConnection, history, timeout, true);
  }

  /**
   * Takes the lock like {@link #acquire(Dialect, Connection, Supplier, TableName, Duration)}, but,
   * unless {@code createTables}, writes nothing to the database: where the lock is a row of the
   * lock table (H2 and others) and that table or its row does not exist yet, returns a lock that is
   * not {@link #held()} instead of creating them. For a dry run, which must leave the database as
   * it found it.
   */
  public static RunLock acquire(
      Dialect dialect,
      Connection migrations,
      Supplier<ConnectionSource.Lease> ownConnection,
      TableName history,
      Duration timeout,
      boolean createTables) {
    LockWait wait = new LockWait(timeout);
    return dialect.acquireRunLock(migrations, ownConnection, history, wait, createTables);
  }

  /**
   * Returns whether this run holds the lock; false only for a lock taken without creating tables
   * where its table did not exist.
   */
  default boolean held() {
    return true;
  }

  /** Returns the lock of a run that could not take one without creating its table. */
  static RunLock notHeld() {
    return new RunLock() {
      @Override
      public void verify(Connection migrations) {}

      @Override
      public boolean held() {
        return false;
      }

      @Override
      public void close() {}
    };
  }

  /**
   * Throws a {@link MigrationLockException} if this run no longer holds the lock (its session was
   * killed, its connection died or was silently reconnected). Called right before each migration
   * commits, inside its transaction on {@code migrations}, so that nothing commits unlocked.
   */
  void verify(Connection migrations);

  /**
   * Releases the lock. Never throws; if the release fails, the lock's connection is aborted, so
   * that a pool can never hand out a session that still holds the lock.
   */
  @Override
  void close();

  /** Returns the lock's name for the history table {@code table} in the resolved {@code schema}. */
  static String name(String schema, String table) {
    return ("datamigrations:" + (schema == null ? "" : schema + ".") + table)
        .toLowerCase(Locale.ROOT);
  }

  /** Returns a stable 64-bit FNV-1a hash of {@code text}, for lock keys and names. */
  static long hash(String text) {
    long hash = 0xcbf29ce484222325L;
    for (int i = 0; i < text.length(); i++) {
      hash ^= text.charAt(i);
      hash *= 0x100000001b3L;
    }
    return hash;
  }

  /** Returns the exception for a lock found lost before a migration's history row was written. */
  static MigrationLockException lost(TableName history, String lock, String why) {
    return new MigrationLockException(
        "This run lost the data migration lock of history table "
            + history
            + " ("
            + lock
            + ": "
            + why
            + ") and stopped before writing this migration's history row: another run may hold the lock now."
            + " Migrations this run completed earlier stay applied; run again to continue");
  }

  /**
   * Closes {@code connection}'s physical connection without returning it to a pool in a usable
   * state: the way to release a lock whose normal release failed.
   */
  static void discard(Connection connection, Throwable why) {
    Logger log = LoggerFactory.getLogger(RunLock.class);
    log.warn(
        "Could not release the data migration lock ({}); aborting its connection, which releases it",
        why.toString());
    try {
      connection.abort(Runnable::run);
    } catch (SQLException | RuntimeException e) {
      log.warn("Could not abort the lock's connection: {}", e.toString());
    }
  }
}
