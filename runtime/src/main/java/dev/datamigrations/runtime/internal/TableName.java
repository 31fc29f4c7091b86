package dev.datamigrations.runtime.internal;

/**
 * A table name checked by {@link Identifiers}, optionally schema-qualified; quoted only through a
 * {@link Dialect}.
 *
 * @param schema the schema (a MySQL/MariaDB database, an attached SQLite database), or null for the
 *     connection's current one
 * @param table the table
 */
public record TableName(String schema, String table) {

  /** Returns the history table's name after checking both parts with {@link Identifiers}. */
  public static TableName ofHistory(String schema, String table) {
    return new TableName(Identifiers.checkSchema(schema), Identifiers.checkTable(table));
  }

  /** Returns the name of the lock table that goes with this history table. */
  public TableName lockTable() {
    return new TableName(schema, table + Identifiers.LOCK_TABLE_SUFFIX);
  }

  /** Returns the name of the backfill progress table that goes with this history table. */
  public TableName progressTable() {
    return new TableName(schema, table + Identifiers.PROGRESS_TABLE_SUFFIX);
  }

  /** Returns the name of the backfill batch table that goes with this history table. */
  public TableName batchesTable() {
    return new TableName(schema, table + Identifiers.BATCHES_TABLE_SUFFIX);
  }

  /** Returns the quoted, qualified name to put into SQL. */
  public String sql(Dialect dialect) {
    String quotedTable = dialect.quote(table);
    return schema == null ? quotedTable : dialect.quote(schema) + "." + quotedTable;
  }

  /** Returns {@code schema.table} or {@code table}, unquoted, for messages and lock names. */
  @Override
  public String toString() {
    return schema == null ? table : schema + "." + table;
  }
}
