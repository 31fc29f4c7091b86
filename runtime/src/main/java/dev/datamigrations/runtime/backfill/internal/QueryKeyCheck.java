package dev.datamigrations.runtime.backfill.internal;

import dev.datamigrations.runtime.MigrationDescriptor;
import dev.datamigrations.runtime.backfill.BackfillKeyException;
import dev.datamigrations.runtime.backfill.BackfillQuery;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Checks, before a {@code QueryBackfill} starts, that its query runs and that its key columns are
 * in the result with a type a backfill can walk; returns their types. Runs the query as a derived
 * table with {@code WHERE 1 = 0}, so it reads no row. Uniqueness and NOT NULL cannot be read from a
 * query's metadata: {@link KeysetSource} checks them as it reads.
 */
final class QueryKeyCheck {
  private QueryKeyCheck() {}

  /** The derived table's alias in the SQL the runner writes around a query. */
  static final String ALIAS = "dm_query";

  static String relation(BackfillQuery query) {
    return "(" + query.sql() + ") " + ALIAS;
  }

  /**
   * Returns the key columns' types, or throws {@link BackfillKeyException} whose message ends with
   * {@code outcome} (what the refusal left as it was).
   */
  static List<KeyType> check(
      Connection connection,
      boolean hasUuidType,
      MigrationDescriptor backfill,
      BackfillQuery query,
      String outcome)
      throws SQLException {
    Map<String, int[]> columns = new LinkedHashMap<>();
    Map<String, String> typeNames = new LinkedHashMap<>();
    try (PreparedStatement statement =
            connection.prepareStatement("SELECT * FROM " + relation(query) + " WHERE 1 = 0");
        ResultSet rows = statement.executeQuery()) {
      ResultSetMetaData metadata = rows.getMetaData();
      for (int i = 1; i <= metadata.getColumnCount(); i++) {
        columns.put(metadata.getColumnLabel(i), new int[] {metadata.getColumnType(i)});
        typeNames.put(metadata.getColumnLabel(i), metadata.getColumnTypeName(i));
      }
    } catch (SQLException e) {
      throw refuse(
          backfill,
          outcome,
          "its query failed: " + e.getMessage(),
          "Fix the SQL of query() in " + backfill.className() + ".");
    }
    List<KeyType> types = new ArrayList<>();
    for (String key : query.keyColumns()) {
      String column =
          columns.keySet().stream()
              .filter(name -> name.equalsIgnoreCase(key))
              .findFirst()
              .orElseThrow(
                  () ->
                      refuse(
                          backfill,
                          outcome,
                          "key column "
                              + key
                              + " is not a column of its query's result (its columns: "
                              + columns.keySet()
                              + ")",
                          "Select it (or alias it AS "
                              + key
                              + ") in query() of "
                              + backfill.className()
                              + "."));
      String typeName = typeNames.get(column);
      types.add(
          KeyType.ofColumn(columns.get(column)[0], typeName, hasUuidType)
              .orElseThrow(
                  () ->
                      refuse(
                          backfill,
                          outcome,
                          "key column "
                              + key
                              + " of its query is "
                              + typeName
                              + ", not an integer, text or UUID column",
                          "Page on an integer, text or UUID column that is unique in the result.")));
    }
    return List.copyOf(types);
  }

  private static BackfillKeyException refuse(
      MigrationDescriptor backfill, String outcome, String problem, String fix) {
    return new BackfillKeyException(
        backfill,
        "Backfill "
            + backfill
            + " cannot start: "
            + problem
            + ". A QueryBackfill pages on key columns of its query's result that are integer, text or UUID"
            + " columns, unique and NOT NULL. "
            + fix
            + " "
            + outcome);
  }
}
