package dev.datamigrations.runtime.internal;

import java.sql.Connection;
import java.time.Duration;

/**
 * The lock a run holds for its whole duration so that concurrent runners apply each migration once; of a kind the
 * database releases when the process dies, so that a killed run leaves no stale lock. Session-level locks are
 * taken on the connection that runs the migrations (their commits do not release them, and a run then needs one
 * connection); the lock table's row lock lives in an open transaction, so it needs a connection of its own (see
 * {@link #needsOwnConnection}).
 */
public interface RunLock extends AutoCloseable {

  /**
   * Takes the lock that guards {@code history} on {@code connection}, waiting up to {@code timeout}.
   *
   * <ul>
   *   <li>PostgreSQL: a session advisory lock ({@code pg_try_advisory_lock}, polled), see {@link AdvisoryRunLock}.
   *   <li>MySQL, MariaDB: a named lock ({@code GET_LOCK}), see {@link NamedRunLock}.
   *   <li>SQLite: an operating-system lock on a file next to the database, see {@link FileRunLock}.
   *   <li>H2 and others: a row lock ({@code SELECT ... FOR UPDATE}) on a one-row lock table, held by an open
   *       transaction, see {@link LockTableRunLock}.
   * </ul>
   *
   * @throws dev.datamigrations.runtime.MigrationLockException if the wait runs out
   */
  static RunLock acquire(Dialect dialect, Connection connection, TableName history, Duration timeout) {
    LockWait wait = new LockWait(timeout);
    return switch (dialect) {
      case POSTGRESQL -> AdvisoryRunLock.acquire(connection, history, wait);
      case MYSQL -> NamedRunLock.acquire(connection, history, wait);
      case SQLITE -> FileRunLock.acquire(connection, history, wait);
      case H2, GENERIC -> LockTableRunLock.acquire(dialect, connection, history, wait);
    };
  }

  /**
   * Returns whether the lock must be taken on a connection other than the migrations' one: true where it is
   * held by an open transaction (the lock table of H2 and other databases), which their commits would end.
   */
  static boolean needsOwnConnection(Dialect dialect) {
    return dialect == Dialect.H2 || dialect == Dialect.GENERIC;
  }

  /** Releases the lock. Never throws: closing the lock's connection releases it anyway. */
  @Override
  void close();

  /** Returns a stable 64-bit FNV-1a hash of {@code text}, for lock keys and names. */
  static long hash(String text) {
    long hash = 0xcbf29ce484222325L;
    for (int i = 0; i < text.length(); i++) {
      hash ^= text.charAt(i);
      hash *= 0x100000001b3L;
    }
    return hash;
  }
}
