package dev.datamigrations.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.datamigrations.runtime.backfill.Backfill;
import dev.datamigrations.runtime.backfill.BackfillKeyException;
import dev.datamigrations.runtime.backfill.BackfillProgress;
import dev.datamigrations.runtime.backfill.BackfillQuery;
import dev.datamigrations.runtime.backfill.BackfillState;
import dev.datamigrations.runtime.backfill.Backfills;
import dev.datamigrations.runtime.backfill.Batch;
import dev.datamigrations.runtime.backfill.Key;
import dev.datamigrations.runtime.backfill.KeyRange;
import dev.datamigrations.runtime.backfill.QueryBackfill;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Backfills over keys other than one integer column, on a real database: UUID keys, text keys with
 * values that break naive quoting or ordering, composite keys with many ties in their first column,
 * a filter, the key check's refusals, and query backfills. Each walked table counts in {@code hits}
 * how often a batch processed each row, so "every row exactly once" is {@code hits = 1} everywhere.
 * Where the database shares batches ({@code SKIP LOCKED}), several workers walk at once.
 */
abstract class KeysBackfillContract {

  abstract TestDatabase database();

  /** The column type of a UUID key. */
  abstract String uuidType();

  /** The SQL of a bound UUID string in an INSERT. */
  String uuidParameter() {
    return "CAST(? AS UUID)";
  }

  /** Whether the database has partial indexes ({@code CREATE UNIQUE INDEX ... WHERE ...}). */
  boolean partialIndexes() {
    return false;
  }

  /** Whether the database has indexes on expressions ({@code ON t (lower(name))}). */
  boolean expressionIndexes() {
    return false;
  }

  /**
   * Column types that JDBC reports as text but that sort by their declaration ({@code ENUM}, {@code
   * SET}), each with a value list {@code ('zeta', 'alpha', 'mid')}.
   */
  List<String> enumerationTypes() {
    return List.of();
  }

  /** Worker threads: several where batches are shared, else one. */
  int workers() {
    return 1;
  }

  Jdbi jdbi;
  String prefix;
  Handle keeper;
  final List<String> tables = new ArrayList<>();

  @BeforeEach
  void open() {
    TestDatabase db = database();
    db.assumeReachable();
    jdbi = db.jdbi();
    keeper = jdbi.open();
    prefix = "ky" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
    tables.addAll(
        List.of(
            prefix + "_hist",
            prefix + "_hist_lock",
            prefix + "_hist_progress",
            prefix + "_hist_batches"));
  }

  @AfterEach
  void drop() {
    if (keeper != null) {
      keeper.close();
    }
    if (jdbi != null) {
      jdbi.useHandle(
          h -> {
            for (String table : tables) {
              h.execute("DROP TABLE IF EXISTS " + table);
            }
          });
    }
  }

  String table(String name, String... sql) {
    String table = prefix + "_" + name;
    tables.add(0, table);
    jdbi.useHandle(
        h -> {
          for (String statement : sql) {
            h.execute(String.format(statement, table));
          }
        });
    return table;
  }

  MigrationRunner runner(Migration backfill, int batchSize) {
    return BackfillRunnerBuilder.configure(jdbi, new OneBackfillCatalog(backfill))
        .table(prefix + "_hist")
        .batchSize(batchSize)
        .workers(workers())
        .pollInterval(java.time.Duration.ofMillis(20))
        .build();
  }

  /** A backfill that adds 1 to {@code hits} of the rows of each batch, found with condition(). */
  static final class CountHits implements Backfill {
    final KeyRange keys;
    final Set<Key> ends = ConcurrentHashMap.newKeySet();

    CountHits(KeyRange keys) {
      this.keys = keys;
    }

    @Override
    public KeyRange keys() {
      return keys;
    }

    @Override
    public void process(Handle handle, Batch batch) {
      ends.add(batch.firstKey());
      ends.add(batch.lastKey());
      handle
          .createUpdate("UPDATE " + keys.table() + " SET hits = hits + 1 WHERE " + keys.condition())
          .bindMap(batch.parameters())
          .execute();
    }
  }

  Map<Integer, Integer> hits(String table) {
    Map<Integer, Integer> hits = new TreeMap<>();
    jdbi.useHandle(
        h ->
            h.createQuery("SELECT hits, COUNT(*) FROM " + table + " GROUP BY hits")
                .map((rs, ctx) -> Map.entry(rs.getInt(1), rs.getInt(2)))
                .forEach(e -> hits.put(e.getKey(), e.getValue())));
    return hits;
  }

  void assertDone(MigrationRunner runner, long rows) {
    BackfillProgress progress =
        Backfills.of(runner).progress(OneBackfillCatalog.VERSION).orElseThrow();
    assertEquals(BackfillState.DONE, progress.state());
    assertEquals(rows, progress.rowsDone());
  }

  // ---- keys

  @Test
  void uuidKeysAreWalkedEveryRowOnce() {
    String table =
        table(
            "uuids",
            "CREATE TABLE %s (id " + uuidType() + " NOT NULL PRIMARY KEY, hits INT NOT NULL)");
    Random random = new Random(13);
    Set<String> ids = new HashSet<>();
    while (ids.size() < 2000) {
      ids.add(UUID.nameUUIDFromBytes(Long.toString(random.nextLong()).getBytes()).toString());
    }
    jdbi.useTransaction(
        h -> {
          var insert =
              h.prepareBatch(
                  "INSERT INTO " + table + " (id, hits) VALUES (" + uuidParameter() + ", 0)");
          ids.forEach(insert::add);
          insert.execute();
        });
    CountHits backfill = new CountHits(KeyRange.of(table, "id"));
    MigrationRunner runner = runner(backfill, 37);
    runner.migrate();
    assertEquals(Map.of(1, 2000), hits(table), "every row exactly once");
    assertDone(runner, 2000);
    for (Key end : backfill.ends) {
      assertTrue(
          ids.contains(end.get(0).toString().toLowerCase(java.util.Locale.ROOT)),
          "a stored end round-trips: " + end);
    }
  }

  /**
   * Values that break naive quoting, escaping, JSON, or numeric ordering; distinct under case- and
   * accent-insensitive collations.
   */
  static final List<String> TRICKY =
      List.of(
          "O'Brien",
          "''",
          "\"quoted\"",
          "back\\slash",
          "\\\"",
          "comma, inside",
          "semi;colon",
          "line\nbreak",
          "tab\there",
          "日本語",
          "emoji 😀",
          "long:1",
          "[\"text:x\"]",
          "10",
          "9",
          "%_wild",
          " leading space",
          "{}");

  @Test
  void textKeysWithTrickyValuesAreWalkedEveryRowOnce() {
    String table =
        table(
            "texts", "CREATE TABLE %s (code VARCHAR(100) NOT NULL PRIMARY KEY, hits INT NOT NULL)");
    List<String> codes = new ArrayList<>(TRICKY);
    for (int i = 0; i < 1500; i++) {
      // Shared prefixes and digit runs, so that ranges end inside runs of similar values.
      codes.add("k" + (i % 7) + "-" + i + (i % 3 == 0 ? "'" : ""));
    }
    jdbi.useTransaction(
        h -> {
          var insert = h.prepareBatch("INSERT INTO " + table + " (code, hits) VALUES (?, 0)");
          codes.forEach(insert::add);
          insert.execute();
        });
    CountHits backfill = new CountHits(KeyRange.of(table, "code"));
    MigrationRunner runner = runner(backfill, 23);
    runner.migrate();
    assertEquals(Map.of(1, codes.size()), hits(table), "every row exactly once");
    assertDone(runner, codes.size());
    Set<String> all = new HashSet<>(codes);
    for (Key end : backfill.ends) {
      assertTrue(all.contains(end.getString(0)), "a stored end round-trips exactly: " + end);
    }
    assertTrue(backfill.ends.size() > 100, "many batches: " + backfill.ends.size());
  }

  @Test
  void compositeKeysWithManyTiesInTheFirstColumnAreWalkedEveryRowOnce() {
    String table =
        table(
            "tenants",
            "CREATE TABLE %s (tenant_id VARCHAR(20) NOT NULL, id BIGINT NOT NULL, hits INT NOT NULL,"
                + " PRIMARY KEY (tenant_id, id))");
    Random random = new Random(7);
    int rows = 3000;
    jdbi.useTransaction(
        h -> {
          var insert =
              h.prepareBatch("INSERT INTO " + table + " (tenant_id, id, hits) VALUES (?, ?, 0)");
          for (int i = 0; i < rows; i++) {
            // 5 tenants, one of them holding most rows; ids repeat across tenants.
            String tenant = random.nextInt(4) == 0 ? "t-" + random.nextInt(4) + "'" : "big";
            insert.add(tenant, (long) i % 1000 - 500 + (i / 1000) * 100_000L);
          }
          insert.execute();
        });
    CountHits backfill = new CountHits(KeyRange.of(table, List.of("tenant_id", "id")));
    MigrationRunner runner = runner(backfill, 17);
    runner.migrate();
    assertEquals(Map.of(1, rows), hits(table), "every row exactly once");
    assertDone(runner, rows);
  }

  @Test
  void aFilterWalksOnlyTheMatchingRowsAndCountsOnlyThem() {
    String table =
        table(
            "filtered",
            "CREATE TABLE %s (id BIGINT NOT NULL PRIMARY KEY, status VARCHAR(10) NOT NULL, hits INT NOT NULL)");
    jdbi.useTransaction(
        h -> {
          var insert =
              h.prepareBatch("INSERT INTO " + table + " (id, status, hits) VALUES (?, ?, 0)");
          for (int i = 1; i <= 1000; i++) {
            insert.add(i, i % 3 == 0 ? "active" : "gone");
          }
          insert.execute();
        });
    CountHits backfill = new CountHits(KeyRange.of(table, "id").where("status = 'active'"));
    MigrationRunner runner = runner(backfill, 20);
    runner.migrate();
    assertEquals(
        List.of(333),
        jdbi.withHandle(
            h ->
                h.createQuery(
                        "SELECT COUNT(*) FROM " + table + " WHERE status = 'active' AND hits = 1")
                    .mapTo(Integer.class)
                    .list()));
    assertEquals(
        List.of(667),
        jdbi.withHandle(
            h ->
                h.createQuery(
                        "SELECT COUNT(*) FROM " + table + " WHERE status = 'gone' AND hits = 0")
                    .mapTo(Integer.class)
                    .list()));
    assertDone(runner, 333);
    // 333 matching rows in batches of 20: 17 batches, each range spanning matching rows only.
    assertEquals(
        17, Backfills.of(runner).progress(OneBackfillCatalog.VERSION).orElseThrow().batchesDone());
  }

  /**
   * A backfill that an older version started, on its tables (no tuple or input columns), half done:
   * the new version adds the columns when it starts and finishes it, every row exactly once.
   */
  @Test
  void aBackfillStartedOnTheTablesOfAnOlderVersionResumes() {
    String table =
        table("upgrade", "CREATE TABLE %s (id BIGINT NOT NULL PRIMARY KEY, hits INT NOT NULL)");
    String progress = prefix + "_hist_progress";
    String batches = prefix + "_hist_batches";
    long now = System.currentTimeMillis();
    jdbi.useTransaction(
        h -> {
          var insert = h.prepareBatch("INSERT INTO " + table + " (id, hits) VALUES (?, ?)");
          for (int i = 1; i <= 100; i++) {
            insert.add(i, i <= 30 ? 1 : 0);
          }
          insert.execute();
          // The DDL of the version before tuple keys, its first batch done and committed.
          h.execute(
              "CREATE TABLE "
                  + progress
                  + " (version BIGINT NOT NULL PRIMARY KEY, state VARCHAR(16) NOT NULL, next_key BIGINT NOT NULL,"
                  + " exhausted INT NOT NULL, batches_planned BIGINT NOT NULL, total_estimate BIGINT NOT NULL,"
                  + " batch_size INT NOT NULL, started_ms BIGINT NOT NULL, updated_ms BIGINT NOT NULL)");
          h.execute(
              "CREATE TABLE "
                  + batches
                  + " (version BIGINT NOT NULL, done INT NOT NULL, batch_no BIGINT NOT NULL, first_key BIGINT NOT NULL,"
                  + " last_key BIGINT NOT NULL, row_count BIGINT NOT NULL, duration_ms BIGINT, done_ms BIGINT,"
                  + " worker VARCHAR(200), PRIMARY KEY (version, done, batch_no))");
          h.execute(
              "INSERT INTO " + progress + " VALUES (?, 'RUNNING', 30, 0, 1, 100, 30, ?, ?)",
              OneBackfillCatalog.VERSION,
              now,
              now);
          h.execute(
              "INSERT INTO " + batches + " VALUES (?, 1, 1, 1, 30, 30, 5, ?, 'old')",
              OneBackfillCatalog.VERSION,
              now);
        });
    MigrationRunner runner = runner(new CountHits(KeyRange.of(table, "id")), 30);
    runner.migrate();
    assertEquals(Map.of(1, 100), hits(table), "every row exactly once across the upgrade");
    assertDone(runner, 100);
  }

  // ---- refusals

  void assertRefused(Migration backfill, String... fragments) {
    MigrationRunner runner = runner(backfill, 10);
    BackfillKeyException refused = assertThrows(BackfillKeyException.class, runner::migrate);
    for (String fragment : fragments) {
      assertTrue(refused.getMessage().contains(fragment), refused.getMessage());
    }
    assertTrue(Backfills.of(runner).progress(OneBackfillCatalog.VERSION).isEmpty(), "not started");
  }

  @Test
  void aCompositeKeyWithoutAUniqueIndexOnTheTupleIsRefused() {
    String table =
        table(
            "nouniq",
            "CREATE TABLE %s (id BIGINT NOT NULL PRIMARY KEY, tenant_id BIGINT NOT NULL, hits INT NOT NULL)",
            "CREATE INDEX %s_t ON %<s (tenant_id, id)");
    assertRefused(
        new CountHits(KeyRange.of(table, List.of("tenant_id", "id"))),
        "key (tenant_id, id) of " + table,
        "neither the primary key nor covered by a unique index",
        "CREATE UNIQUE INDEX ... ON " + table + " (tenant_id, id)",
        "The backfill was not started.");
  }

  @Test
  void aCompositeKeyInAnotherOrderThanItsIndexIsRefusedWithTheOrder() {
    String table =
        table(
            "order",
            "CREATE TABLE %s (tenant_id BIGINT NOT NULL, id BIGINT NOT NULL, hits INT NOT NULL,"
                + " PRIMARY KEY (tenant_id, id))");
    assertRefused(
        new CountHits(KeyRange.of(table, List.of("id", "tenant_id"))),
        "in that order",
        "List the key columns in the index's order");
  }

  @Test
  void aNullableColumnOfACompositeKeyIsRefused() {
    String table =
        table(
            "nullable",
            "CREATE TABLE %s (pk BIGINT NOT NULL PRIMARY KEY, a BIGINT NOT NULL, b VARCHAR(10), hits INT NOT NULL)",
            "CREATE UNIQUE INDEX %s_ab ON %<s (a, b)");
    assertRefused(
        new CountHits(KeyRange.of(table, List.of("a", "b"))),
        table + ".b accepts NULL",
        "Declare the column NOT NULL");
  }

  @Test
  void aFilterEndingInALineCommentWalksTheMatchingRows() {
    String table =
        table(
            "comment",
            "CREATE TABLE %s (id BIGINT NOT NULL PRIMARY KEY, hits INT NOT NULL)",
            "INSERT INTO %s (id, hits) VALUES (1, 0)",
            "INSERT INTO %s (id, hits) VALUES (2, 0)",
            "INSERT INTO %s (id, hits) VALUES (3, 0)");
    CountHits backfill = new CountHits(KeyRange.of(table, "id").where("id <> 2 -- not the 2"));
    MigrationRunner runner = runner(backfill, 10);
    runner.migrate();
    assertEquals(Map.of(0, 1, 1, 2), hits(table), "the filter's rows once, the other never");
    assertDone(runner, 2);
  }

  /**
   * A unique index with a WHERE leaves the rows outside it free to repeat the key: it does not make
   * a key (PostgreSQL's metadata says so in FILTER_CONDITION, SQLite's only in PRAGMA index_list).
   */
  @Test
  void aPartialUniqueIndexMakesNoKey() {
    assumeTrue(partialIndexes(), database() + " has no partial indexes");
    String table =
        table(
            "partial",
            "CREATE TABLE %s (pk BIGINT NOT NULL PRIMARY KEY, code VARCHAR(10) NOT NULL, live INT NOT NULL,"
                + " hits INT NOT NULL)",
            "CREATE UNIQUE INDEX %s_code ON %<s (code) WHERE live = 1");
    assertRefused(
        new CountHits(KeyRange.of(table, "code")),
        "key column " + table + ".code is neither the primary key nor covered by a unique index",
        "(its unique index on them is partial, with a WHERE, so the rows outside it may repeat the key)",
        "CREATE UNIQUE INDEX ... ON " + table + " (code)");
  }

  /**
   * A unique index on an expression is no index on the key's columns (SQLite's metadata names its
   * column NULL, which the check once took for a column and failed on): a key covered by another,
   * plain unique index is walked; a key covered only by it is refused.
   */
  @Test
  void aUniqueIndexOnAnExpressionMakesNoKeyAndBreaksNoOtherKey() {
    assumeTrue(expressionIndexes(), database() + " has no indexes on expressions");
    String table =
        table(
            "expr",
            "CREATE TABLE %s (pk BIGINT NOT NULL PRIMARY KEY, code VARCHAR(10) NOT NULL,"
                + " name VARCHAR(10) NOT NULL, hits INT NOT NULL)",
            "CREATE UNIQUE INDEX %s_code ON %<s (code)",
            "CREATE UNIQUE INDEX %s_name ON %<s (lower(name))",
            "INSERT INTO %s (pk, code, name, hits) VALUES (1, 'a', 'x', 0)",
            "INSERT INTO %s (pk, code, name, hits) VALUES (2, 'b', 'y', 0)");
    assertRefused(
        new CountHits(KeyRange.of(table, "name")),
        "key column " + table + ".name is neither the primary key nor covered by a unique index");
    MigrationRunner runner = runner(new CountHits(KeyRange.of(table, "code")), 1);
    runner.migrate();
    assertEquals(Map.of(1, 2), hits(table), "every row exactly once");
  }

  /**
   * An ENUM or a SET sorts by the position of its values in the type, but compares with a bound
   * text value as text: walked, rows were skipped (MariaDB: 10 of 15 rows never processed).
   */
  @Test
  void anEnumerationKeyColumnIsRefused() {
    assumeTrue(!enumerationTypes().isEmpty(), database() + " has no enumeration types");
    for (String type : enumerationTypes()) {
      String table =
          table(
              "enum" + tables.size(),
              "CREATE TABLE %s (kind "
                  + type
                  + " NOT NULL, id BIGINT NOT NULL, hits INT NOT NULL,"
                  + " PRIMARY KEY (kind, id))",
              "INSERT INTO %s (kind, id, hits) VALUES ('zeta', 1, 0)",
              "INSERT INTO %s (kind, id, hits) VALUES ('alpha', 1, 0)");
      assertRefused(
          new CountHits(KeyRange.of(table, List.of("kind", "id"))),
          "key column " + table + ".kind is ",
          "whose values sort in the order its type declares them but compare with a text value as"
              + " text, so keyset pagination would skip rows",
          "The backfill was not started.");
    }
  }

  // ---- query backfills

  /** Adds 1 to {@code hits} of the orders of blocked customers in each batch's key range. */
  static final class BlockedCustomersOrders implements QueryBackfill {
    final String orders;
    final String customers;
    final String keyColumn;

    BlockedCustomersOrders(String orders, String customers, String keyColumn) {
      this.orders = orders;
      this.customers = customers;
      this.keyColumn = keyColumn;
    }

    @Override
    public BackfillQuery query() {
      return BackfillQuery.of(
          "SELECT o.id AS order_id, o.customer_id AS customer_id FROM "
              + orders
              + " o JOIN "
              + customers
              + " c ON c.id = o.customer_id WHERE c.blocked = 1",
          keyColumn);
    }

    @Override
    public void process(Handle handle, Batch batch) {
      handle
          .createUpdate(
              "UPDATE "
                  + orders
                  + " SET hits = hits + 1 WHERE id BETWEEN :first AND :last AND customer_id IN"
                  + " (SELECT id FROM "
                  + customers
                  + " WHERE blocked = 1)")
          .bind("first", batch.first())
          .bind("last", batch.last())
          .execute();
    }
  }

  String[] ordersAndCustomers() {
    String customers =
        table(
            "customers", "CREATE TABLE %s (id BIGINT NOT NULL PRIMARY KEY, blocked INT NOT NULL)");
    String orders =
        table(
            "orders",
            "CREATE TABLE %s (id BIGINT NOT NULL PRIMARY KEY, customer_id BIGINT NOT NULL, hits INT NOT NULL)");
    jdbi.useTransaction(
        h -> {
          var insert = h.prepareBatch("INSERT INTO " + customers + " (id, blocked) VALUES (?, ?)");
          for (int i = 1; i <= 50; i++) {
            insert.add(i, i % 5 == 0 ? 1 : 0);
          }
          insert.execute();
          var order =
              h.prepareBatch("INSERT INTO " + orders + " (id, customer_id, hits) VALUES (?, ?, 0)");
          for (int i = 1; i <= 2000; i++) {
            order.add(i * 2, i % 50 + 1);
          }
          order.execute();
        });
    return new String[] {orders, customers};
  }

  @Test
  void aQueryBackfillWalksTheRowsOfAJoinEveryRowOnce() {
    String[] t = ordersAndCustomers();
    MigrationRunner runner = runner(new BlockedCustomersOrders(t[0], t[1], "order_id"), 13);
    runner.migrate();
    long blocked =
        jdbi.withHandle(
            h ->
                h.createQuery(
                        "SELECT COUNT(*) FROM "
                            + t[0]
                            + " WHERE customer_id IN (SELECT id FROM "
                            + t[1]
                            + " WHERE blocked = 1)")
                    .mapTo(Long.class)
                    .one());
    assertEquals(400, blocked);
    assertEquals(
        Map.of(0, 1600, 1, 400), hits(t[0]), "the query's rows exactly once, no other row");
    assertDone(runner, 400);
  }

  @Test
  void aQueryBackfillWhoseKeyRepeatsInItsResultStops() {
    String[] t = ordersAndCustomers();
    MigrationRunner runner = runner(new BlockedCustomersOrders(t[0], t[1], "customer_id"), 13);
    BackfillKeyException refused = assertThrows(BackfillKeyException.class, runner::migrate);
    assertTrue(
        refused.getMessage().contains("two rows of its query have the key"), refused.getMessage());
    assertTrue(refused.getMessage().contains("must be unique"), refused.getMessage());
  }

  @Test
  void aQueryBackfillWithAMissingKeyColumnIsRefused() {
    String[] t = ordersAndCustomers();
    assertRefused(
        new BlockedCustomersOrders(t[0], t[1], "nope"),
        "key column nope is not a column of its query's result",
        "The backfill was not started.");
  }

  @Test
  void aQueryBackfillWithNullKeysIsRefusedBeforeItsFirstBatch() {
    String table =
        table(
            "nullkeys",
            "CREATE TABLE %s (id BIGINT NOT NULL PRIMARY KEY, ref BIGINT, hits INT NOT NULL)",
            "INSERT INTO %s (id, ref, hits) VALUES (1, 10, 0)",
            "INSERT INTO %s (id, ref, hits) VALUES (2, NULL, 0)");
    QueryBackfill backfill =
        new QueryBackfill() {
          @Override
          public BackfillQuery query() {
            return BackfillQuery.of("SELECT ref FROM " + table, "ref");
          }

          @Override
          public void process(Handle handle, Batch batch) {
            handle.execute("UPDATE " + table + " SET hits = hits + 1");
          }
        };
    MigrationRunner runner = runner(backfill, 10);
    BackfillKeyException refused = assertThrows(BackfillKeyException.class, runner::migrate);
    assertTrue(refused.getMessage().contains("has a NULL key"), refused.getMessage());
    assertEquals(Map.of(0, 2), hits(table), "no batch ran");
  }
}
