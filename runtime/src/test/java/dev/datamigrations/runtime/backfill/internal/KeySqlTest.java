package dev.datamigrations.runtime.backfill.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.datamigrations.runtime.MigrationDescriptor;
import dev.datamigrations.runtime.backfill.Batch;
import dev.datamigrations.runtime.backfill.Key;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Keyset pagination over a three-column key (text, integer, UUID) with many ties, on H2: the
 * row-value form and the expanded OR form (for databases without row values) walk the same pages,
 * and each walk sees every row exactly once; each range's halves (a timed-out batch's split) meet
 * at its median key in the walk's order; stored tuples round-trip exactly.
 */
class KeySqlTest {

  @Test
  void rowValuesAndTheExpandedFormWalkTheSamePagesAndEveryRowOnce() throws Exception {
    try (Connection connection =
        DriverManager.getConnection("jdbc:h2:mem:keysql" + System.nanoTime())) {
      connection
          .createStatement()
          .execute(
              "CREATE TABLE t (a VARCHAR(20) NOT NULL, b BIGINT NOT NULL, c UUID NOT NULL, PRIMARY KEY (a, b, c))");
      Random random = new Random(3);
      Set<Key> all = new HashSet<>();
      try (PreparedStatement insert =
          connection.prepareStatement("INSERT INTO t VALUES (?, ?, ?)")) {
        while (all.size() < 1500) {
          Key key =
              Key.of(
                  "t" + random.nextInt(3) + (random.nextBoolean() ? "'" : ""),
                  (long) random.nextInt(5) - 2,
                  new UUID(random.nextInt(4), random.nextLong()));
          if (all.add(key)) {
            insert.setString(1, key.getString(0));
            insert.setLong(2, key.getLong(1));
            insert.setObject(3, key.getUuid(2));
            insert.executeUpdate();
          }
        }
      }
      List<List<BatchSource.Span>> walks = new ArrayList<>();
      for (boolean rowValues : new boolean[] {true, false}) {
        KeySql sql =
            new KeySql(
                List.of("a", "b", "c"),
                List.of(KeyType.TEXT, KeyType.LONG, KeyType.UUID_),
                rowValues);
        KeysetSource source =
            new KeysetSource(
                MigrationDescriptor.backfill(
                    1, "t", "T", MigrationDescriptor.Reversibility.IRREVERSIBLE),
                "t",
                "table t",
                sql,
                null,
                false,
                (handle, batch) -> {},
                null);
        List<BatchSource.Span> spans = new ArrayList<>();
        long rows = 0;
        Key cursor = null;
        for (BatchSource.Span span; (span = source.next(connection, cursor, 7)) != null; ) {
          // What the batch table stores and the worker reads back.
          assertEquals(span.first(), KeyCodec.decode(KeyCodec.encode(span.first())));
          spans.add(span);
          rows += span.count();
          assertHalvesMeetInTheWalksOrder(connection, source, cursor, span);
          cursor = KeyCodec.decode(KeyCodec.encode(span.last()));
        }
        assertEquals(all.size(), rows, "every row once, rowValues=" + rowValues);
        walks.add(spans);
      }
      assertEquals(walks.get(0), walks.get(1), "both forms cut the same ranges");
      assertTrue(walks.get(0).size() > 200);
    }
  }

  /**
   * A batch's halves (the split of a batch that timed out) hold its rows between them: the lower
   * half is the first {@code count / 2} keys of the range in the walk's own order, the upper half
   * starts at the very next key.
   */
  private static void assertHalvesMeetInTheWalksOrder(
      Connection connection, KeysetSource source, Key before, BatchSource.Span span)
      throws Exception {
    BatchSource.Halves halves =
        source.halves(connection, new Batch(1, span.first(), span.last(), span.count()));
    if (span.count() < 2) {
      assertEquals(null, halves, "one key cannot be split");
      return;
    }
    assertEquals(span.first(), halves.lower().first());
    assertEquals(span.last(), halves.upper().last());
    assertEquals(span.count() / 2, halves.lower().count());
    assertEquals(span.count() - span.count() / 2, halves.upper().count());
    BatchSource.Span lower = source.next(connection, before, (int) (span.count() / 2));
    assertEquals(lower.last(), halves.lower().last(), "the median is the walk's");
    assertEquals(source.next(connection, lower.last(), 1).first(), halves.upper().first());
  }

  @Test
  void storedKeysRoundTripExactly() {
    for (Key key :
        List.of(
            Key.of(Long.MIN_VALUE, "O'Brien \"Jr\" \\ , ; \n\t\u0001 日本 😀", UUID.randomUUID()),
            Key.of("", Long.MAX_VALUE),
            Key.of("long:1", "[\"text:x\"]"))) {
      assertEquals(key, KeyCodec.decode(KeyCodec.encode(key)), KeyCodec.encode(key));
    }
  }
}
