package dev.datamigrations.runtime.backfill.internal;

import dev.datamigrations.runtime.MigrationDescriptor;
import dev.datamigrations.runtime.backfill.BackfillKeyException;
import dev.datamigrations.runtime.backfill.Batch;
import dev.datamigrations.runtime.backfill.Key;
import dev.datamigrations.runtime.backfill.KeyRange;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;

/**
 * The rows of a table, or of a query as a derived table, walked by keyset pagination over their key
 * tuple: each range is the next {@code batchSize} keys after the cursor in the key's order, read
 * from the database's own {@code ORDER BY}, so that the range's ends and every later comparison use
 * the same collation. Never {@code OFFSET}.
 *
 * <p>A table's key is unique and NOT NULL by its index ({@link KeyColumnCheck}); a query's cannot
 * be checked from metadata, so each page is checked as it is read (no NULL key, no two rows with
 * the same key, including the row after the page) and the count looks for NULL keys.
 */
final class KeysetSource implements BatchSource {

  /** Processes one batch: the user's {@code process}. */
  interface Processor {
    void process(Handle handle, Batch batch) throws Exception;
  }

  private final MigrationDescriptor descriptor;
  private final String relation;
  private final String what;
  private final KeySql keys;
  private final String filter;
  private final boolean query;
  private final Processor processor;
  private final KeyRange table;

  /**
   * @param relation the table's quoted name, or a parenthesized query with an alias
   * @param what the table or query for messages
   * @param filter a condition on the relation's rows, or null
   * @param query whether the relation is a query, whose keys must be checked page by page
   * @param table the walked table's range, null for a query
   */
  KeysetSource(
      MigrationDescriptor descriptor,
      String relation,
      String what,
      KeySql keys,
      String filter,
      boolean query,
      Processor processor,
      KeyRange table) {
    this.descriptor = descriptor;
    this.relation = relation;
    this.what = what;
    this.keys = keys;
    this.filter = filter;
    this.query = query;
    this.processor = processor;
    this.table = table;
  }

  @Override
  public Optional<KeyRange> walkedTable() {
    return Optional.ofNullable(table);
  }

  @Override
  public Optional<KeyRange> integerTable() {
    return table != null && integerKey() ? Optional.of(table) : Optional.empty();
  }

  @Override
  public boolean integerKey() {
    return keys.types().size() == 1 && keys.types().get(0) == KeyType.LONG;
  }

  @Override
  public Span next(Connection connection, Key after, int batchSize) throws SQLException {
    Span span;
    try {
      span =
          integerKey() && !query
              ? nextByAggregate(connection, after, batchSize)
              : nextByReading(connection, after, batchSize);
    } catch (KeyType.NotAnInteger e) {
      throw new BackfillKeyException(
          descriptor,
          "Backfill "
              + descriptor
              + " cannot go on: a row of "
              + what
              + " has the key "
              + describe(e.value())
              + " in its integer key column "
              + keys.list()
              + ", which is no integer that fits a Java long (SQLite keeps a value of another type in"
              + " a column of a table that is not STRICT), so the key cannot be walked. Fix or delete"
              + " that row, then resume. Batches done so far stay done.");
    }
    if (span != null && after != null && span.first().equals(after)) {
      throw notAdvancing(after, span.first(), span.last());
    }
    return span;
  }

  private static String describe(Object value) {
    return value instanceof String text
        ? "'" + text.replace("'", "''") + "'"
        : value + " (a " + value.getClass().getSimpleName() + ")";
  }

  /**
   * A page that starts at the cursor: the database compares the key otherwise than it orders it,
   * and the walk would hand out the same range forever.
   */
  private BackfillKeyException notAdvancing(Key after, Key first, Key last) {
    return new BackfillKeyException(
        descriptor,
        "Backfill "
            + descriptor
            + " stopped: the next range of "
            + what
            + (after == null ? "" : " after the key " + after)
            + " runs from "
            + first
            + " to "
            + last
            + ", so the database compares its key ("
            + keys.list()
            + ") otherwise than it orders it, and the walk would not advance. Walk a key of an"
            + " integer, text or UUID type that compares as it sorts. Batches done so far stay"
            + " done.");
  }

  /**
   * One integer key of a table: the page's MIN, MAX and COUNT computed by the database from the
   * key's index, without sending the keys.
   */
  private Span nextByAggregate(Connection connection, Key after, int batchSize)
      throws SQLException {
    String key = keys.columns().get(0);
    String sql =
        "SELECT MIN(k), MAX(k), COUNT(*) FROM (SELECT "
            + key
            + " AS k FROM "
            + relation
            + where(after)
            + " ORDER BY "
            + key
            + " LIMIT ?) s";
    try (PreparedStatement statement = connection.prepareStatement(sql)) {
      int index = after == null ? 1 : keys.bindAfter(statement, 1, after);
      statement.setInt(index, batchSize);
      try (ResultSet rows = statement.executeQuery()) {
        rows.next();
        long count = rows.getLong(3);
        if (count == 0) {
          return null;
        }
        Key first = Key.of(KeyType.LONG.read(rows, 1));
        Key last = Key.of(KeyType.LONG.read(rows, 2));
        if (after != null && first.getLong(0) <= after.getLong(0)
            || last.getLong(0) < first.getLong(0)) {
          throw notAdvancing(after, first, last);
        }
        return new Span(first, last, count);
      }
    }
  }

  /**
   * Any key: reads the page's key tuples in order (and, for a query, the one after the page, to see
   * that the page does not end inside a run of equal keys).
   */
  private Span nextByReading(Connection connection, Key after, int batchSize) throws SQLException {
    String sql =
        "SELECT "
            + keys.list()
            + " FROM "
            + relation
            + where(after)
            + " ORDER BY "
            + keys.orderBy()
            + " LIMIT ?";
    Key first = null;
    Key previous = null;
    long count = 0;
    try (PreparedStatement statement = connection.prepareStatement(sql)) {
      int index = after == null ? 1 : keys.bindAfter(statement, 1, after);
      statement.setInt(index, query ? batchSize + 1 : batchSize);
      statement.setFetchSize(Math.min(batchSize + 1, 1000));
      try (ResultSet rows = statement.executeQuery()) {
        while (rows.next()) {
          Key key = read(rows);
          if (previous != null && previous.equals(key)) {
            throw duplicateKey(key);
          }
          if (count == batchSize) {
            break; // the row after the page, read only to compare
          }
          if (first == null) {
            first = key;
          }
          previous = key;
          count++;
        }
      }
    }
    return count == 0 ? null : new Span(first, previous, count);
  }

  private Key read(ResultSet rows) throws SQLException {
    List<Object> values = new ArrayList<>(keys.columns().size());
    for (int i = 0; i < keys.columns().size(); i++) {
      Object value = keys.types().get(i).read(rows, i + 1);
      if (value == null) {
        throw nullKey();
      }
      values.add(value);
    }
    return new Key(values);
  }

  private String where(Key after) {
    List<String> conditions = new ArrayList<>();
    if (after != null) {
      conditions.add(keys.after());
    }
    if (filter != null) {
      // On a line of its own: a filter that ends in a -- comment must not comment out the rest.
      conditions.add("(" + filter + "\n)");
    }
    return conditions.isEmpty() ? "" : " WHERE " + String.join(" AND ", conditions);
  }

  @Override
  public long count(Connection connection) throws SQLException {
    if (!query) {
      try (PreparedStatement statement =
              connection.prepareStatement("SELECT COUNT(*) FROM " + relation + where(null));
          ResultSet rows = statement.executeQuery()) {
        rows.next();
        return rows.getLong(1);
      }
    }
    StringBuilder nulls = new StringBuilder();
    for (String column : keys.columns()) {
      nulls.append(nulls.length() == 0 ? "" : " OR ").append(column).append(" IS NULL");
    }
    try (PreparedStatement statement =
            connection.prepareStatement(
                "SELECT COUNT(*), SUM(CASE WHEN "
                    + nulls
                    + " THEN 1 ELSE 0 END) FROM "
                    + relation);
        ResultSet rows = statement.executeQuery()) {
      rows.next();
      if (rows.getLong(2) > 0) {
        throw nullKey();
      }
      return rows.getLong(1);
    }
  }

  private BackfillKeyException duplicateKey(Key key) {
    return new BackfillKeyException(
        descriptor,
        "Backfill "
            + descriptor
            + " stopped: two rows of its query have the key "
            + key
            + ", so keyset pagination could skip rows. The key columns of a QueryBackfill must be unique in"
            + " the query's result: page on a unique column (add the primary key to the key"
            + " columns). Batches done so far stay done.");
  }

  private BackfillKeyException nullKey() {
    return new BackfillKeyException(
        descriptor,
        "Backfill "
            + descriptor
            + " cannot go on: a row of "
            + what
            + " has a NULL key ("
            + keys.list()
            + "), and a row whose key is NULL is in no batch, so it would never be processed."
            + " Leave such rows out of the query (WHERE ... IS NOT NULL) or page on a NOT NULL"
            + " column. Batches done so far stay done.");
  }

  /**
   * Counts the batch's rows (its range, and the filter), then reads its median key and the key
   * after it with one keyset query on the range ({@code ORDER BY} the key tuple {@code LIMIT 2
   * OFFSET count / 2 - 1}), so that the halves end where the database's own order says, as every
   * range does. Null if fewer than two rows are left (or were left when the second query read).
   */
  @Override
  public Halves halves(Connection connection, Batch batch) throws SQLException {
    String range =
        " FROM "
            + relation
            + " WHERE "
            + keys.atOrAfter()
            + " AND "
            + keys.atOrBefore()
            + (filter == null ? "" : " AND (" + filter + ")");
    long count;
    try (PreparedStatement statement = connection.prepareStatement("SELECT COUNT(*)" + range)) {
      bindRange(statement, batch);
      try (ResultSet rows = statement.executeQuery()) {
        rows.next();
        count = rows.getLong(1);
      }
    }
    if (count < 2) {
      return null;
    }
    long lower = count / 2;
    try (PreparedStatement statement =
        connection.prepareStatement(
            "SELECT "
                + keys.list()
                + range
                + " ORDER BY "
                + keys.orderBy()
                + " LIMIT 2 OFFSET ?")) {
      statement.setLong(bindRange(statement, batch), lower - 1);
      try (ResultSet rows = statement.executeQuery()) {
        if (!rows.next()) {
          return null;
        }
        Key median = read(rows);
        if (!rows.next()) {
          return null;
        }
        Key next = read(rows);
        if (next.equals(median)) {
          // Both halves would hold this key, and its rows be processed twice.
          throw duplicateKey(median);
        }
        return new Halves(
            new Span(batch.firstKey(), median, lower),
            new Span(next, batch.lastKey(), count - lower));
      }
    }
  }

  /** Binds the batch's first and last key to a range condition; returns the next free index. */
  private int bindRange(PreparedStatement statement, Batch batch) throws SQLException {
    return keys.bindAfter(
        statement, keys.bindAfter(statement, 1, batch.firstKey()), batch.lastKey());
  }

  @Override
  public void process(Handle handle, Batch batch) throws Exception {
    processor.process(handle, batch);
  }
}
