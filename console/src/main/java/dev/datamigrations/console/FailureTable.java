package dev.datamigrations.console;

import dev.datamigrations.runtime.MigrationFailedException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Reads and writes {@code <history>_failures}; every statement runs in the caller's connection. */
final class FailureTable {
  static final int MESSAGE_LIMIT = 2000;
  static final int TRACE_LIMIT = 8000;
  static final int KEEP_PER_VERSION = 20;
  static final int FRAMES_PER_CAUSE = 12;

  private FailureTable() {}

  /** One recorded failure; every text already scrubbed of secrets and cut to its limit. */
  record Entry(
      long version,
      String direction,
      Instant failedAt,
      String operator,
      String errorClass,
      String message,
      String stackTrace) {

    static Entry of(MigrationFailedException failure, String operator, long nowMillis) {
      Throwable error = failure.getCause() == null ? failure : failure.getCause();
      return new Entry(
          failure.migration().version(),
          failure.direction().name().toLowerCase(Locale.ROOT),
          Instant.ofEpochMilli(nowMillis),
          cut(operator, 200),
          cut(error.getClass().getName(), 300),
          cut(Redaction.scrub(failure.getMessage()), MESSAGE_LIMIT),
          cut(Redaction.scrub(trace(error)), TRACE_LIMIT));
    }
  }

  /**
   * Returns the error and its causes, each with its first {@value #FRAMES_PER_CAUSE} frames, so
   * that the causes fit in the limit even when the stack is deep (a test runner's or a server's
   * hundred frames).
   */
  static String trace(Throwable error) {
    StringBuilder out = new StringBuilder();
    java.util.Set<Throwable> seen =
        java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
    for (Throwable t = error; t != null && seen.add(t); t = t.getCause()) {
      out.append(t == error ? "" : "Caused by: ").append(t).append('\n');
      StackTraceElement[] frames = t.getStackTrace();
      for (int i = 0; i < Math.min(FRAMES_PER_CAUSE, frames.length); i++) {
        out.append("\tat ").append(frames[i]).append('\n');
      }
      if (frames.length > FRAMES_PER_CAUSE) {
        out.append("\t... ").append(frames.length - FRAMES_PER_CAUSE).append(" more\n");
      }
    }
    return out.toString();
  }

  static void createIfAbsent(Connection connection, Tables tables) throws SQLException {
    if (tables.exists(connection, "failures")) {
      return;
    }
    try (Statement statement = connection.createStatement()) {
      statement.execute(
          "CREATE TABLE "
              + tables.failures()
              + " (version BIGINT NOT NULL, direction VARCHAR(8) NOT NULL, failed_ms BIGINT NOT NULL,"
              + " operator VARCHAR(200), error_class VARCHAR(300) NOT NULL, message VARCHAR("
              + MESSAGE_LIMIT
              + "), stack_trace VARCHAR("
              + TRACE_LIMIT
              + "))");
    } catch (SQLException e) {
      // Another process may have created it meanwhile.
      if (!tables.exists(connection, "failures")) {
        throw e;
      }
    }
  }

  /**
   * Inserts {@code entry}, then deletes the failures of its version beyond the newest {@value
   * #KEEP_PER_VERSION}.
   */
  static void insert(Connection connection, Tables tables, Entry entry) throws SQLException {
    try (PreparedStatement insert =
        connection.prepareStatement(
            "INSERT INTO "
                + tables.failures()
                + " (version, direction, failed_ms, operator, error_class, message, stack_trace)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?)")) {
      insert.setLong(1, entry.version());
      insert.setString(2, entry.direction());
      insert.setLong(3, entry.failedAt().toEpochMilli());
      insert.setString(4, entry.operator());
      insert.setString(5, entry.errorClass());
      insert.setString(6, entry.message());
      insert.setString(7, entry.stackTrace());
      insert.executeUpdate();
    }
    List<Entry> kept = read(connection, tables, entry.version(), KEEP_PER_VERSION + 1);
    if (kept.size() > KEEP_PER_VERSION) {
      try (PreparedStatement delete =
          connection.prepareStatement(
              "DELETE FROM " + tables.failures() + " WHERE version = ? AND failed_ms <= ?")) {
        delete.setLong(1, entry.version());
        delete.setLong(2, kept.get(KEEP_PER_VERSION).failedAt().toEpochMilli());
        delete.executeUpdate();
      }
    }
  }

  /**
   * Returns the newest {@code limit} failures of {@code version} (all versions if null), newest
   * first.
   */
  static List<Entry> read(Connection connection, Tables tables, Long version, int limit)
      throws SQLException {
    List<Entry> entries = new ArrayList<>();
    if (!tables.exists(connection, "failures")) {
      return entries;
    }
    String sql =
        "SELECT version, direction, failed_ms, operator, error_class, message, stack_trace FROM "
            + tables.failures()
            + (version == null ? "" : " WHERE version = ?")
            + " ORDER BY failed_ms DESC";
    try (PreparedStatement select = connection.prepareStatement(sql)) {
      select.setMaxRows(limit);
      if (version != null) {
        select.setLong(1, version);
      }
      try (ResultSet rows = select.executeQuery()) {
        while (rows.next() && entries.size() < limit) {
          entries.add(
              new Entry(
                  rows.getLong(1),
                  rows.getString(2),
                  Instant.ofEpochMilli(rows.getLong(3)),
                  rows.getString(4),
                  rows.getString(5),
                  rows.getString(6),
                  rows.getString(7)));
        }
      }
    }
    return entries;
  }

  private static String cut(String text, int limit) {
    if (text == null || text.length() <= limit) {
      return text;
    }
    String marker = "\n... (cut at " + limit + " characters)";
    return text.substring(0, limit - marker.length()) + marker;
  }
}
