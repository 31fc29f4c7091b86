package dev.datamigrations.runtime.internal;

import dev.datamigrations.runtime.DataMigrationException;
import dev.datamigrations.runtime.Redaction;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.sql.DataSource;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.spi.JdbiPlugin;
import org.slf4j.LoggerFactory;

/**
 * Where a runner gets its connections: the application's {@link Jdbi}, or a plain {@link
 * DataSource} whose Jdbi is created only when a migration is about to run. Creating a Jdbi costs a
 * JVM a few hundred milliseconds of class loading and set-up; a start-up with nothing to migrate,
 * the common case, should not pay it.
 */
public abstract class ConnectionSource {

  private ConnectionSource() {}

  /** Returns a source that opens every connection through {@code jdbi}. */
  public static ConnectionSource of(Jdbi jdbi) {
    return new JdbiSource(jdbi);
  }

  /**
   * Returns a source that opens plain connections, and a Jdbi over {@code dataSource} only when
   * needed.
   */
  public static ConnectionSource of(DataSource dataSource) {
    return new DataSourceSource(dataSource);
  }

  /**
   * Returns the Jdbi for everything but the locked run: status, backfill workers, state changes.
   */
  public abstract Jdbi jdbi();

  /**
   * Opens the connection a locked run plans and runs its migrations on, in auto-commit mode: a pool
   * that hands out connections with auto-commit off (HikariCP's {@code autoCommit=false}) gets each
   * one back as it was.
   */
  public abstract Lease lease();

  /**
   * Opens a connection like {@link #lease()}, waiting at most {@code timeout} for it: a run that
   * needs a second connection from a pool that has none left (a pool of one) fails, naming the fix,
   * instead of waiting for ever. A connection that arrives after the wait is closed at once.
   *
   * @param why why the run needs a second connection, for the message
   */
  public final Lease leaseWithin(Duration timeout, String why) {
    CompletableFuture<Lease> opened = new CompletableFuture<>();
    Thread opener =
        new Thread(
            () -> {
              try {
                opened.complete(lease());
              } catch (Throwable e) {
                opened.completeExceptionally(e);
              }
            },
            "datamigrations-lock-connection");
    opener.setDaemon(true);
    opener.start();
    try {
      return opened.get(Math.max(1, timeout.toMillis()), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      opened.thenAccept(Lease::close);
      throw new DataMigrationException(
          "Could not get a second connection within "
              + timeout.toMillis()
              + " ms: "
              + why
              + " The connection pool is probably exhausted (a pool of one connection cannot work here): raise"
              + " its maximum size to at least 2 (HikariCP: maximumPoolSize). Nothing was changed.");
    } catch (ExecutionException e) {
      throw new DataMigrationException(
          "Could not open a second connection ("
              + why
              + "): "
              + e.getCause()
              + ". Nothing was changed.",
          e.getCause());
    } catch (InterruptedException e) {
      opened.thenAccept(Lease::close);
      Thread.currentThread().interrupt();
      throw new DataMigrationException(
          "Interrupted while waiting for a second connection. Nothing was changed.", e);
    }
  }

  /**
   * A connection for one run; the {@link Handle} the migrations receive is made on it when first
   * asked for.
   */
  public abstract static class Lease implements AutoCloseable {
    public abstract Connection connection();

    public abstract Handle handle();

    @Override
    public abstract void close();
  }

  /**
   * Switches {@code connection} to auto-commit for the run and returns the state it came with, for
   * {@link #restoreAutoCommit}.
   */
  private static boolean autoCommitOn(Connection connection) throws SQLException {
    boolean original = connection.getAutoCommit();
    if (!original) {
      // A connection fresh from a pool has no work pending: switching commits nothing.
      connection.setAutoCommit(true);
    }
    return original;
  }

  /**
   * Puts back the auto-commit state {@code connection} came with; rolls back anything left open
   * first.
   */
  private static void restoreAutoCommit(Connection connection, boolean original) {
    try {
      if (connection.getAutoCommit() != original) {
        if (!connection.getAutoCommit()) {
          connection.rollback();
        }
        connection.setAutoCommit(original);
      }
    } catch (SQLException | RuntimeException e) {
      LoggerFactory.getLogger(ConnectionSource.class)
          .warn(
              "Could not restore auto-commit={} on a connection before closing it: {}",
              original,
              e.toString());
    }
  }

  private static final class JdbiSource extends ConnectionSource {
    private final Jdbi jdbi;

    JdbiSource(Jdbi jdbi) {
      this.jdbi = jdbi;
    }

    @Override
    public Jdbi jdbi() {
      return jdbi;
    }

    @Override
    public Lease lease() {
      Handle handle = GuardPlugin.open(jdbi);
      boolean original;
      try {
        original = autoCommitOn(handle.getConnection());
      } catch (SQLException e) {
        handle.close();
        throw new DataMigrationException(
            "Could not switch the run's connection to auto-commit: " + e, e);
      }
      return new Lease() {
        @Override
        public Connection connection() {
          return handle.getConnection();
        }

        @Override
        public Handle handle() {
          return handle;
        }

        @Override
        public void close() {
          restoreAutoCommit(handle.getConnection(), original);
          handle.close();
        }
      };
    }
  }

  /**
   * Wraps the connection of the handles a runner opens for its runs, and only those, in an {@link
   * CommitGuard}, so that the handle the migrations receive, with every setting of the
   * application's Jdbi, hands out the guarded connection from {@code getConnection()} too. Jdbi
   * lets a plugin replace a handle's connection; installed once per Jdbi (one instance, which Jdbi
   * adds only if absent), it leaves every other {@code open()} of the application alone.
   */
  private static final class GuardPlugin implements JdbiPlugin {
    private static final GuardPlugin INSTANCE = new GuardPlugin();
    private static final ThreadLocal<Boolean> OPENING = new ThreadLocal<>();

    static Handle open(Jdbi jdbi) {
      jdbi.installPlugin(INSTANCE);
      OPENING.set(Boolean.TRUE);
      try {
        return jdbi.open();
      } finally {
        OPENING.remove();
      }
    }

    @Override
    public Connection customizeConnection(Connection connection) throws SQLException {
      return OPENING.get() == null ? connection : CommitGuard.wrap(connection);
    }
  }

  private static final class DataSourceSource extends ConnectionSource {
    private final DataSource dataSource;
    private volatile Jdbi jdbi;

    DataSourceSource(DataSource dataSource) {
      this.dataSource = dataSource;
    }

    @Override
    public Jdbi jdbi() {
      Jdbi created = jdbi;
      if (created == null) {
        synchronized (this) {
          created = jdbi;
          if (created == null) {
            created = Jdbi.create(dataSource);
            jdbi = created;
          }
        }
      }
      return created;
    }

    @Override
    public Lease lease() {
      Connection connection;
      boolean original;
      try {
        connection = CommitGuard.wrap(dataSource.getConnection());
      } catch (SQLException e) {
        throw new DataMigrationException(
            "Could not connect to the database: " + Redaction.redact(String.valueOf(e)), e);
      }
      try {
        original = autoCommitOn(connection);
      } catch (SQLException e) {
        try {
          connection.close();
        } catch (SQLException suppressed) {
          e.addSuppressed(suppressed);
        }
        throw new DataMigrationException(
            "Could not switch the run's connection to auto-commit: " + e, e);
      }
      return new Lease() {
        private Handle handle;

        @Override
        public Connection connection() {
          return connection;
        }

        @Override
        public Handle handle() {
          if (handle == null) {
            // A Jdbi over this one connection: its handle never closes the connection, the lease
            // does.
            handle = Jdbi.create(connection).open();
          }
          return handle;
        }

        @Override
        public void close() {
          try {
            if (handle != null) {
              handle.close();
            }
          } finally {
            restoreAutoCommit(connection, original);
            try {
              connection.close();
            } catch (SQLException e) {
              throw new DataMigrationException(
                  "Could not close the migrations' connection: " + e, e);
            }
          }
        }
      };
    }
  }
}
