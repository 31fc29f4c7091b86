package dev.datamigrations.runtime.internal;

import dev.datamigrations.runtime.DataMigrationException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * SQLite: an operating-system lock on a file next to the database file, {@code
 * <database>.<table>.lock}.
 *
 * <p>SQLite has no row locks ({@code FOR UPDATE}) and no named locks, and holding its own write
 * lock on a second connection ({@code BEGIN IMMEDIATE}) would block the connection that runs the
 * migrations. A lock row that is inserted and deleted would outlive a killed process. SQLite itself
 * coordinates processes with file locks, so the run lock is one too: the operating system releases
 * it when the process dies, so a killed run never leaves a stale lock. The file is left in place
 * (deleting it would race with the next locker); it holds the process id and host of the last
 * holder, for the timeout message. Within one JVM, where file locks are per process, a semaphore
 * per file serializes the runners. An in-memory database, private to one connection, only gets the
 * semaphore.
 */
final class FileRunLock implements RunLock {
  private static final Logger LOG = LoggerFactory.getLogger(FileRunLock.class);
  private static final Map<String, Semaphore> IN_THIS_JVM = new ConcurrentHashMap<>();

  private final Semaphore jvmLock;
  private final FileChannel channel;

  private FileRunLock(Semaphore jvmLock, FileChannel channel) {
    this.jvmLock = jvmLock;
    this.channel = channel;
  }

  static RunLock acquire(Connection connection, TableName history, LockWait wait) {
    String databaseFile =
        databaseFile(connection, history.schema() == null ? "main" : history.schema());
    // SQLite's names ignore case: every spelling of the table gets the same file.
    Path lockFile =
        databaseFile.isEmpty()
            ? null
            : Path.of(databaseFile + "." + history.table().toLowerCase(Locale.ROOT) + ".lock");
    Semaphore jvmLock =
        IN_THIS_JVM.computeIfAbsent(
            lockFile == null ? "" : lockFile.toAbsolutePath().toString(), k -> new Semaphore(1));
    try {
      if (!jvmLock.tryAcquire(wait.remainingMillis(), TimeUnit.MILLISECONDS)) {
        throw wait.timedOut(
            history,
            "SQLite lock file " + lockFile,
            "Another runner of this JVM is running migrations.");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new DataMigrationException("Interrupted while waiting for the data migration lock", e);
    }
    if (lockFile == null) {
      return new FileRunLock(jvmLock, null);
    }
    FileChannel channel = null;
    try {
      channel =
          FileChannel.open(
              lockFile,
              StandardOpenOption.CREATE,
              StandardOpenOption.READ,
              StandardOpenOption.WRITE);
      while (true) {
        FileLock lock = channel.tryLock();
        if (lock != null) {
          channel.truncate(0);
          channel.write(ByteBuffer.wrap(holder().getBytes(StandardCharsets.UTF_8)), 0);
          channel.force(false);
          return new FileRunLock(jvmLock, channel);
        }
        if (wait.expired()) {
          throw wait.timedOut(
              history,
              "SQLite lock file " + lockFile,
              "The last process to take it was " + lastHolder(lockFile) + ".");
        }
        wait.pause();
      }
    } catch (IOException | RuntimeException e) {
      closeQuietly(channel);
      jvmLock.release();
      if (e instanceof RuntimeException runtime) {
        throw runtime;
      }
      throw new DataMigrationException("Could not lock " + lockFile + ": " + e, e);
    }
  }

  /**
   * Returns the file of the attached database {@code schema}, or "" for an in-memory or temporary
   * one.
   */
  private static String databaseFile(Connection connection, String schema) {
    try (Statement statement = connection.createStatement();
        ResultSet databases = statement.executeQuery("PRAGMA database_list")) {
      while (databases.next()) {
        if (schema.equalsIgnoreCase(databases.getString("name"))) {
          String file = databases.getString("file");
          return file == null ? "" : file;
        }
      }
    } catch (SQLException e) {
      throw new DataMigrationException("Could not find the SQLite database file: " + e, e);
    }
    throw new DataMigrationException("No attached SQLite database is named " + schema);
  }

  private static String holder() {
    return "process " + ProcessHandle.current().pid() + " on " + Hosts.localHostName();
  }

  private static String lastHolder(Path lockFile) {
    try {
      return Files.readString(lockFile, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "unknown (" + e + ")";
    }
  }

  private static void closeQuietly(FileChannel channel) {
    if (channel != null) {
      try {
        channel.close();
      } catch (IOException e) {
        LOG.debug("Could not close a lock file", e);
      }
    }
  }

  /**
   * Checks nothing: the operating system holds a file lock as long as this JVM keeps the file open.
   */
  @Override
  public void verify(Connection migrations) {}

  @Override
  public void close() {
    // Closing the channel releases the file lock.
    closeQuietly(channel);
    jvmLock.release();
  }
}
