package dev.datamigrations.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.datamigrations.runtime.backfill.HealthCheck;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * Batching as a property: for random key sets, with {@code Long.MIN_VALUE}, {@code Long.MAX_VALUE},
 * negatives, dense runs and wide gaps, random batch sizes, and keys inserted while the backfill
 * runs (one before each batch, from another connection), every key present at the start is
 * processed exactly once and no key twice. On H2 with many tries, on PostgreSQL with fewer (a
 * server round trip costs more).
 *
 * <p>The inputs come from a seeded {@link Random}: the seed is printed, and {@code
 * -Dproperty.seed=N} replays a run ({@code -Dproperty.tries=N} multiplies the tries). A failure
 * names the seed, the try and its inputs.
 */
class BackfillKeyPropertyTest {
  private static final TestDatabase H2 = TestDatabase.h2();
  private static final TestDatabase POSTGRES = TestDatabase.postgres();
  private static final String PREFIX =
      "bp" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
  private static final String ITEMS = PREFIX + "_items";
  private static final String HISTORY = PREFIX + "_hist";
  private static final long SEED = Long.getLong("property.seed", new Random().nextLong());
  private static final int TRIES_FACTOR = Integer.getInteger("property.tries", 1);
  private static final long[] EDGES = {
    Long.MIN_VALUE, Long.MIN_VALUE + 1, -1L, 0L, 1L, Long.MAX_VALUE - 1, Long.MAX_VALUE
  };
  private static final Map<TestDatabase, Jdbi> JDBIS = new HashMap<>();

  /** Holds the H2 file database open between tries. */
  private static final Map<TestDatabase, Handle> KEEPERS = new HashMap<>();

  @Test
  void everyKeyOnceOnH2() {
    forAll(H2, 120 * TRIES_FACTOR);
  }

  @Test
  void everyKeyOnceOnPostgres() {
    forAll(POSTGRES, 25 * TRIES_FACTOR);
  }

  private static void forAll(TestDatabase db, int tries) {
    db.assumeReachable();
    Random random = new Random(SEED ^ db.name().hashCode());
    System.out.println(
        "[property] "
            + db
            + ": "
            + tries
            + " tries, seed "
            + SEED
            + " (-Dproperty.seed to replay)");
    for (int i = 0; i < tries; i++) {
      Set<Long> keys = keys(random);
      Set<Long> late = keys(random);
      int batchSize = 1 + random.nextInt(9);
      try {
        check(db, keys, late, batchSize);
      } catch (AssertionError | RuntimeException e) {
        throw new AssertionError(
            db
                + ", seed "
                + SEED
                + ", try "
                + i
                + ": keys "
                + keys
                + ", inserted while running "
                + late
                + ", batch size "
                + batchSize
                + ": "
                + e.getMessage(),
            e);
      }
    }
  }

  /**
   * Returns up to 30 distinct keys: 2 in 9 from the edges of the range, 4 in 9 dense, 3 in 9
   * anywhere.
   */
  private static Set<Long> keys(Random random) {
    int size = random.nextInt(31);
    Set<Long> keys = new LinkedHashSet<>();
    for (int i = 0; i < size; i++) {
      int pick = random.nextInt(9);
      keys.add(
          pick < 2
              ? EDGES[random.nextInt(EDGES.length)]
              : pick < 6 ? random.nextInt(81) - 40L : random.nextLong());
    }
    return keys;
  }

  private static void check(TestDatabase db, Set<Long> keys, Set<Long> late, int batchSize) {
    db.assumeReachable();
    Jdbi jdbi = jdbi(db);
    jdbi.useHandle(
        h -> {
          h.execute(
              "CREATE TABLE IF NOT EXISTS "
                  + ITEMS
                  + " (id BIGINT NOT NULL PRIMARY KEY, hits INT NOT NULL)");
          h.execute("DELETE FROM " + ITEMS);
          for (String table : List.of(HISTORY, HISTORY + "_progress", HISTORY + "_batches")) {
            h.execute("DROP TABLE IF EXISTS " + table);
          }
          var insert = h.prepareBatch("INSERT INTO " + ITEMS + " (id, hits) VALUES (?, 0)");
          keys.forEach(insert::add);
          if (!keys.isEmpty()) {
            insert.execute();
          }
        });
    Deque<Long> toInsert = new ArrayDeque<>();
    late.stream().filter(k -> !keys.contains(k)).forEach(toInsert::add);
    // Asked before every batch, outside its transaction: a row inserted by the application
    // meanwhile.
    HealthCheck insertsOneKey =
        handle -> {
          Long key = toInsert.poll();
          if (key != null) {
            jdbi.useHandle(
                h -> h.execute("INSERT INTO " + ITEMS + " (id, hits) VALUES (?, 0)", key));
          }
          return HealthCheck.Status.HEALTHY;
        };
    BackfillRunnerBuilder.configure(jdbi, new BackfillCatalog(ITEMS, PREFIX + "_unused", 0))
        .table(HISTORY)
        .batchSize(batchSize)
        .healthCheck(insertsOneKey)
        .progressInterval(Duration.ofHours(1))
        .pollInterval(Duration.ofMillis(10))
        .build()
        .up(BackfillCatalog.FILL);

    Map<Long, Integer> hits = new HashMap<>();
    jdbi.useHandle(
        h ->
            h.createQuery("SELECT id, hits FROM " + ITEMS)
                .map((rs, ctx) -> Map.entry(rs.getLong(1), rs.getInt(2)))
                .forEach(e -> hits.put(e.getKey(), e.getValue())));
    for (long key : keys) {
      assertEquals(
          1,
          hits.get(key),
          "hits of key " + key + " (present at the start), batch size " + batchSize);
    }
    hits.forEach(
        (key, count) -> assertTrue(count <= 1, "key " + key + " processed " + count + " times"));
  }

  private static synchronized Jdbi jdbi(TestDatabase db) {
    return JDBIS.computeIfAbsent(
        db,
        d -> {
          Jdbi jdbi = d.jdbi();
          KEEPERS.put(d, jdbi.open());
          return jdbi;
        });
  }

  @AfterAll
  static synchronized void dropTables() {
    JDBIS.forEach(
        (db, jdbi) ->
            jdbi.useHandle(
                h -> {
                  for (String table :
                      List.of(
                          ITEMS,
                          HISTORY,
                          HISTORY + "_lock",
                          HISTORY + "_progress",
                          HISTORY + "_batches")) {
                    h.execute("DROP TABLE IF EXISTS " + table);
                  }
                }));
    KEEPERS.values().forEach(Handle::close);
    JDBIS.clear();
    KEEPERS.clear();
  }
}
