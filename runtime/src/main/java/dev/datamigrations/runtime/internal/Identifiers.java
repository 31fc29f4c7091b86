package dev.datamigrations.runtime.internal;

import dev.datamigrations.runtime.DataMigrationException;
import java.util.regex.Pattern;

/**
 * Validates identifiers that come from configuration before they are quoted into SQL, so that no
 * statement is ever built from an unchecked string.
 */
public final class Identifiers {
  private static final Pattern PLAIN = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

  /** PostgreSQL truncates longer names silently (NAMEDATALEN - 1), which could alias two tables. */
  public static final int MAX_LENGTH = 63;

  /**
   * The history table's name also names its lock table, {@code <table>_lock}, which must fit too.
   */
  public static final String LOCK_TABLE_SUFFIX = "_lock";

  /**
   * Backfills keep their progress in {@code <table>_progress} and their batches in {@code
   * <table>_batches}.
   */
  public static final String PROGRESS_TABLE_SUFFIX = "_progress";

  public static final String BATCHES_TABLE_SUFFIX = "_batches";

  private Identifiers() {}

  /**
   * Returns {@code table} if it is a valid history table name; throws a message naming the rule
   * otherwise.
   */
  public static String checkTable(String table) {
    return check("History table name", table, MAX_LENGTH - PROGRESS_TABLE_SUFFIX.length());
  }

  /** Returns {@code schema} (null allowed: the connection's current schema) if it is valid. */
  public static String checkSchema(String schema) {
    return schema == null ? null : check("History table schema", schema, MAX_LENGTH);
  }

  /**
   * Returns {@code name} if it is a plain SQL identifier of at most {@link #MAX_LENGTH} characters.
   */
  public static String checkPlain(String what, String name) {
    return check(what, name, MAX_LENGTH);
  }

  private static String check(String what, String name, int maxLength) {
    if (!PLAIN.matcher(name).matches()) {
      throw new DataMigrationException(
          what
              + " \""
              + name
              + "\" is not a plain SQL identifier: use letters, digits and underscores, starting with a letter"
              + " or an underscore ([A-Za-z_][A-Za-z0-9_]*)");
    }
    if (name.length() > maxLength) {
      throw new DataMigrationException(
          what
              + " \""
              + name
              + "\" is longer than "
              + maxLength
              + " characters: choose a shorter name");
    }
    return name;
  }
}
