package dev.datamigrations.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The run lock against concurrent runners that name the history table differently: every spelling
 * that reaches the same table (case, explicit or implicit schema) must share one lock, and every
 * migration's effect must be applied exactly as often as the history says. One subclass per
 * database.
 */
abstract class RunLockContract {
  static final int VERSIONS = 6;

  /** Returns the database of the subclass. */
  abstract TestDatabase database();

  /**
   * Returns the spellings of the history table's schema that reach the connection's current schema,
   * null (not given) included.
   */
  abstract List<String> schemaSpellings();

  /**
   * Returns whether the database treats the table names {@code t} and {@code T} as the same table.
   */
  abstract boolean tableNamesIgnoreCase();

  /**
   * Returns whether the run lock here needs a connection besides the migrations' one (the lock
   * table's row lock, held by an open transaction).
   */
  abstract boolean lockNeedsSecondConnection();

  /**
   * Kills, from {@code admin}'s session, the database session that holds the run lock of {@code
   * history}, while a run holds it; skips where a lock cannot be lost while its run lives.
   */
  abstract void killLockSession(Handle admin, String history);

  /**
   * Returns a statement that makes this session's commits skip the wait for the disk, or null: the
   * rounds test exclusion, not durability, and on a loaded machine a flush per commit would make
   * them take minutes.
   */
  String relaxedDurabilitySql() {
    return null;
  }

  /** Returns how many rounds the 8 runners run. */
  int rounds() {
    return 100;
  }

  TestDatabase db;
  Jdbi jdbi;
  Handle keeper;
  String history;
  String counter;

  @BeforeEach
  void createTables() {
    db = database();
    db.assumeReachable();
    jdbi = db.jdbi();
    keeper = jdbi.open();
    String prefix = "lk" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
    history = prefix + "_hist";
    counter = prefix + "_n";
    jdbi.useHandle(
        h -> {
          h.execute(
              "CREATE TABLE " + counter + " (version BIGINT NOT NULL PRIMARY KEY, n INT NOT NULL)");
          for (long v = 1; v <= VERSIONS; v++) {
            h.execute("INSERT INTO " + counter + " (version, n) VALUES (?, 0)", v);
          }
        });
  }

  @AfterEach
  void dropTables() {
    if (keeper != null) {
      keeper.close();
    }
    if (jdbi != null) {
      jdbi.useHandle(
          h -> {
            for (String table : List.of(history, history + "_lock", counter)) {
              h.execute("DROP TABLE IF EXISTS " + table);
            }
          });
    }
  }

  // ---- helpers

  /**
   * Returns a catalog of {@code VERSIONS} reversible migrations: up adds 1 to its counter, down
   * takes 1.
   */
  TestCatalog counting() {
    TestCatalog.Builder builder = TestCatalog.builder();
    for (long v = 1; v <= VERSIONS; v++) {
      builder.addReversible(v, add(v, 1), add(v, -1));
    }
    return builder.build();
  }

  Consumer<Handle> add(long version, int delta) {
    return h -> h.execute("UPDATE " + counter + " SET n = n + ? WHERE version = ?", delta, version);
  }

  /** Returns every spelling of the history table this database resolves to the same table. */
  List<String[]> spellings() {
    List<String> tables =
        tableNamesIgnoreCase()
            ? List.of(history, history.toUpperCase(Locale.ROOT))
            : List.of(history);
    List<String[]> all = new ArrayList<>();
    for (String schema : schemaSpellings()) {
      for (String table : tables) {
        all.add(new String[] {schema, table});
      }
    }
    return all;
  }

  MigrationRunner runner(TestCatalog catalog, String[] spelling, Duration lockTimeout) {
    return runner(BackfillRunnerBuilder.configure(db.jdbi(), catalog), spelling, lockTimeout);
  }

  MigrationRunner runner(BackfillRunnerBuilder builder, String[] spelling, Duration lockTimeout) {
    builder.table(spelling[1]);
    if (spelling[0] != null) {
      builder.schema(spelling[0]);
    }
    return builder.lockTimeout(lockTimeout).build();
  }

  Map<Long, Integer> counts() {
    Map<Long, Integer> counts = new TreeMap<>();
    jdbi.useHandle(
        h ->
            h.createQuery("SELECT version, n FROM " + counter)
                .map((rs, ctx) -> Map.entry(rs.getLong(1), rs.getInt(2)))
                .forEach(e -> counts.put(e.getKey(), e.getValue())));
    return counts;
  }

  Set<Long> applied() {
    List<Long> versions =
        jdbi.withHandle(
            h -> h.createQuery("SELECT version FROM " + history).mapTo(Long.class).list());
    return new TreeSet<Long>(versions);
  }

  /**
   * Asserts that each version's effect is there exactly once if the history says applied, else not
   * at all.
   */
  void assertEffectsMatchHistory(String when) {
    Set<Long> applied = applied();
    Map<Long, Integer> expected = new TreeMap<>();
    for (long v = 1; v <= VERSIONS; v++) {
      expected.put(v, applied.contains(v) ? 1 : 0);
    }
    assertEquals(
        expected, counts(), when + ": counters (version -> n) against the history " + applied);
  }

  // ---- tests

  /**
   * Two runners that name the same history table differently (case, explicit schema) share one
   * lock: while one reverts a version, the other cannot revert it too. Before the lock was keyed on
   * the table as the database resolves it, both ran {@code down} and the counter went to -1.
   */
  @Test
  void runnersNamingTheTableDifferentlyShareOneLock() throws Exception {
    List<String[]> spellings = spellings();
    String[] plain = {null, history};
    TestCatalog setup = counting();
    runner(setup, plain, Duration.ofSeconds(30)).migrate();
    assertEffectsMatchHistory("after migrate");
    for (String[] other : spellings.subList(1, spellings.size())) {
      CountDownLatch inDown = new CountDownLatch(1);
      CountDownLatch release = new CountDownLatch(1);
      TestCatalog blocking =
          TestCatalog.builder()
              .addReversible(
                  1,
                  add(1, 1),
                  h -> {
                    add(1, -1).accept(h);
                    inDown.countDown();
                    await(release);
                  })
              .build();
      ExecutorService threads = Executors.newFixedThreadPool(2);
      try {
        Future<MigrateResult> first =
            threads.submit(() -> runner(blocking, plain, Duration.ofSeconds(30)).down(1));
        assertTrue(inDown.await(30, TimeUnit.SECONDS), "the first runner never reached down");
        Future<MigrateResult> second =
            threads.submit(() -> runner(counting(), other, Duration.ofMillis(500)).down(1));
        Throwable secondFailure = null;
        try {
          second.get(5, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
          secondFailure = e.getCause();
        } catch (TimeoutException e) {
          // Without a shared lock, the second runner ran down and now waits for the first one's row
          // lock.
        }
        release.countDown();
        first.get(30, TimeUnit.SECONDS);
        if (secondFailure == null) {
          try {
            second.get(30, TimeUnit.SECONDS);
          } catch (ExecutionException e) {
            secondFailure = e.getCause();
          }
        }
        assertTrue(
            secondFailure instanceof MigrationLockException,
            "runner with schema "
                + other[0]
                + ", table "
                + other[1]
                + " did not wait for the lock: "
                + secondFailure);
        assertEffectsMatchHistory(
            "after concurrent down(1) with schema " + other[0] + ", table " + other[1]);
        runner(setup, plain, Duration.ofSeconds(30)).up(1);
      } finally {
        release.countDown();
        threads.shutdownNow();
      }
    }
  }

  /**
   * 8 runners, each naming the table its own way, run a random verb (migrate, up, down, rollback)
   * in each of {@link #rounds()} rounds (100); after every round each version's effect is there
   * exactly as often as the history says.
   */
  @Test
  void eightRunnersMixingVerbsAndSpellingsApplyEachEffectAsOftenAsTheHistorySays()
      throws Exception {
    int runners = 8;
    int rounds = rounds();
    List<String[]> spellings = spellings();
    List<MigrationRunner> all = new ArrayList<>();
    List<HikariDataSource> pools = new ArrayList<>();
    for (int i = 0; i < runners; i++) {
      // A pool per runner, as an application instance has: the rounds measure the lock, not
      // connecting.
      HikariDataSource pool = pool(2, true, relaxedDurabilitySql());
      pools.add(pool);
      all.add(
          runner(
              BackfillRunnerBuilder.configure(pool, counting()),
              spellings.get(i % spellings.size()),
              Duration.ofSeconds(60)));
    }
    Random random = new Random(42);
    CyclicBarrier barrier = new CyclicBarrier(runners);
    ExecutorService threads = Executors.newFixedThreadPool(runners);
    long start = System.nanoTime();
    int ran = 0;
    try {
      for (int round = 0; round < rounds; round++) {
        List<Future<MigrateResult>> results = new ArrayList<>();
        for (MigrationRunner runner : all) {
          int verb = random.nextInt(4);
          long version = 1 + random.nextInt(VERSIONS);
          int steps = 1 + random.nextInt(2);
          results.add(
              threads.submit(
                  () -> {
                    barrier.await(30, TimeUnit.SECONDS);
                    return switch (verb) {
                      case 0 -> runner.migrate();
                      case 1 -> runner.up(version);
                      case 2 -> runner.down(version);
                      default -> runner.rollback(steps);
                    };
                  }));
        }
        for (Future<MigrateResult> result : results) {
          try {
            ran += result.get(120, TimeUnit.SECONDS).executed().size();
          } catch (ExecutionException e) {
            // Refusals planned under the lock (down of a version another runner reverted first) are
            // expected;
            // anything else is a failure.
            if (!(e.getCause() instanceof MigrationNotAppliedException)) {
              throw new AssertionError("round " + round + ": " + e.getCause(), e.getCause());
            }
          }
        }
        assertEffectsMatchHistory("after round " + round);
      }
    } finally {
      threads.shutdownNow();
      pools.forEach(HikariDataSource::close);
    }
    System.out.printf(
        "%s: %d runners x %d rounds, %d migrations run, in %d ms%n",
        db, runners, rounds, ran, (System.nanoTime() - start) / 1_000_000);
    assertTrue(ran > rounds, "too few migrations ran to mean anything: " + ran);
  }

  // ---- pools

  /**
   * HikariCP with {@code autoCommit=false} on a fresh database: the runner creates its tables
   * (committed), applies and reverts, and gives the pool's connections back as it found them
   * (auto-commit off, same isolation).
   */
  @Test
  void hikariWithAutoCommitOffWorksAndConnectionsComeBackAsTheyWere() throws Exception {
    try (HikariDataSource pool = pool(2, false)) {
      int isolation;
      try (java.sql.Connection connection = pool.getConnection()) {
        isolation = connection.getTransactionIsolation();
      }
      MigrationRunner runner =
          runner(
              BackfillRunnerBuilder.configure(pool, counting()),
              new String[] {null, history},
              Duration.ofSeconds(30));
      assertEquals(VERSIONS, runner.migrate().executed().size());
      assertEffectsMatchHistory("after migrate on a pool with autoCommit=false");
      assertEquals(List.of(6L, 5L), runner.rollback(2).versions());
      assertEffectsMatchHistory("after rollback(2)");
      assertEquals(List.of(6L), runner.up(6).versions());
      assertEquals(
          VERSIONS - 1,
          runner.status().stream().filter(st -> st.state() == MigrationState.APPLIED).count());
      // The same through the application's Jdbi on that pool.
      MigrationRunner onJdbi =
          runner(
              BackfillRunnerBuilder.configure(Jdbi.create(pool), counting()),
              new String[] {null, history},
              Duration.ofSeconds(30));
      assertEquals(List.of(6L), onJdbi.rollback(1).versions());
      assertEquals(List.of(5L, 6L), onJdbi.migrate().versions());
      assertEquals(List.of(6L), runner.rollback(1).versions());
      // Both of the pool's connections, each as it was before the runner had it.
      try (java.sql.Connection first = pool.getConnection();
          java.sql.Connection second = pool.getConnection()) {
        for (java.sql.Connection connection : List.of(first, second)) {
          assertEquals(
              false,
              connection.getAutoCommit(),
              "auto-commit of a pooled connection after the runs");
          assertEquals(
              isolation, connection.getTransactionIsolation(), "isolation of a pooled connection");
        }
      }
    }
    assertEffectsMatchHistory("seen from another connection, after the pool closed");
    assertEquals(Set.of(1L, 2L, 3L, 4L, 5L), applied());
  }

  /**
   * A pool of one connection: works where the lock lives on the migrations' connection; where it
   * needs a second connection, fails within the lock timeout, naming the fix, before anything
   * changes; never hangs.
   */
  @Test
  void aPoolOfOneConnectionWorksOrRefusesBeforeChangingAnything() throws Exception {
    try (HikariDataSource pool = pool(1, true)) {
      MigrationRunner runner =
          runner(
              BackfillRunnerBuilder.configure(pool, counting()),
              new String[] {null, history},
              Duration.ofSeconds(2));
      long start = System.nanoTime();
      if (lockNeedsSecondConnection()) {
        DataMigrationException refused =
            org.junit.jupiter.api.Assertions.assertThrows(
                DataMigrationException.class, runner::migrate);
        long waited = (System.nanoTime() - start) / 1_000_000;
        assertTrue(
            refused.getMessage().contains("raise its maximum size to at least 2"),
            refused.getMessage());
        assertTrue(refused.getMessage().contains("Nothing was changed."), refused.getMessage());
        assertTrue(waited < 15_000, "refused after " + waited + " ms");
        assertEquals(Map.of(1L, 0, 2L, 0, 3L, 0, 4L, 0, 5L, 0, 6L, 0), counts());
        // The pool has its connection back.
        try (java.sql.Connection connection = pool.getConnection()) {
          assertTrue(connection.isValid(5));
        }
      } else {
        assertEquals(VERSIONS, runner.migrate().executed().size());
        assertEquals(List.of(6L), runner.rollback(1).versions());
        assertEffectsMatchHistory("after migrate and rollback on a pool of one");
      }
    }
  }

  /**
   * A backfill on a pool of one connection: works where the lock lives on the worker's connection
   * (SQLite's file lock included), else is refused before anything changes, within the lock
   * timeout.
   */
  @Test
  void aBackfillOnAPoolOfOneConnectionWorksOrRefusesBeforeChangingAnything() throws Exception {
    String items = counter + "_items";
    String marker = counter + "_marker";
    jdbi.useHandle(
        h -> {
          h.execute(
              "CREATE TABLE " + items + " (id BIGINT NOT NULL PRIMARY KEY, hits INT NOT NULL)");
          h.execute("CREATE TABLE " + marker + " (name VARCHAR(20))");
          for (int id = 1; id <= 20; id++) {
            h.execute("INSERT INTO " + items + " (id, hits) VALUES (?, 0)", id);
          }
        });
    try (HikariDataSource pool = pool(1, true)) {
      MigrationRunner runner =
          runner(
              BackfillRunnerBuilder.configure(pool, new BackfillCatalog(items, marker, 0))
                  .batchSize(7),
              new String[] {null, history},
              Duration.ofSeconds(2));
      if (lockNeedsSecondConnection()) {
        DataMigrationException refused =
            org.junit.jupiter.api.Assertions.assertThrows(
                DataMigrationException.class, runner::migrate);
        assertTrue(
            refused.getMessage().contains("raise its maximum size to at least 2"),
            refused.getMessage());
        assertEquals(
            Integer.valueOf(0),
            jdbi.withHandle(
                h -> h.createQuery("SELECT COUNT(*) FROM " + marker).mapTo(Integer.class).one()));
      } else {
        assertEquals(List.of(1L, 2L, 3L), runner.migrate().versions());
        assertEquals(
            List.of(1),
            jdbi.withHandle(
                h ->
                    h.createQuery("SELECT DISTINCT hits FROM " + items)
                        .mapTo(Integer.class)
                        .list()));
      }
    } finally {
      jdbi.useHandle(
          h -> {
            for (String table :
                List.of(items, marker, history + "_progress", history + "_batches")) {
              h.execute("DROP TABLE IF EXISTS " + table);
            }
          });
    }
  }

  /**
   * A run that failed, and one that succeeded, leave no lock behind in their pool's connections: a
   * runner on another pool gets the lock at once while the first pool is still open.
   */
  @Test
  void noRunLeavesItsLockInThePool() throws Exception {
    TestCatalog failing =
        TestCatalog.builder()
            .addReversible(1, add(1, 1), add(1, -1))
            .addReversible(
                2,
                h -> {
                  add(2, 1).accept(h);
                  throw new IllegalStateException("boom");
                },
                add(2, -1))
            .build();
    String[] plain = {null, history};
    try (HikariDataSource first = pool(2, false);
        HikariDataSource second = pool(2, false)) {
      org.junit.jupiter.api.Assertions.assertThrows(
          MigrationFailedException.class,
          () ->
              runner(BackfillRunnerBuilder.configure(first, failing), plain, Duration.ofSeconds(30))
                  .migrate());
      assertEquals(Set.of(1L), applied());
      assertEquals(
          List.of(2L, 3L, 4L, 5L, 6L),
          runner(BackfillRunnerBuilder.configure(second, counting()), plain, Duration.ofMillis(300))
              .migrate()
              .versions());
      assertEquals(
          List.of(6L),
          runner(BackfillRunnerBuilder.configure(first, counting()), plain, Duration.ofSeconds(30))
              .rollback(1)
              .versions());
      assertEquals(
          List.of(6L),
          runner(BackfillRunnerBuilder.configure(second, counting()), plain, Duration.ofMillis(300))
              .up(6)
              .versions());
    }
    assertEffectsMatchHistory("after runs on two pools");
  }

  // ---- a lost lock

  /**
   * The session holding the run lock is killed while a migration runs: nothing commits after that.
   * The migration that was running is rolled back and the run stops with a failure that says so;
   * what committed before stays; the next run gets the lock at once and applies the rest exactly
   * once.
   */
  @Test
  void aLockLostMidRunIsNoticedBeforeTheNextCommit() throws Exception {
    CountDownLatch inTwo = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    TestCatalog catalog =
        TestCatalog.builder()
            .add(1, add(1, 1))
            .add(
                2,
                h -> {
                  inTwo.countDown();
                  await(release);
                  add(2, 1).accept(h);
                })
            .add(3, add(3, 1))
            .build();
    String[] plain = {null, history};
    ExecutorService thread = Executors.newSingleThreadExecutor();
    try {
      Future<MigrateResult> run =
          thread.submit(() -> runner(catalog, plain, Duration.ofSeconds(30)).migrate());
      assertTrue(inTwo.await(30, TimeUnit.SECONDS), "migration 2 never started");
      try (Handle admin = jdbi.open()) {
        killLockSession(admin, history);
      }
      release.countDown();
      ExecutionException failed =
          org.junit.jupiter.api.Assertions.assertThrows(
              ExecutionException.class, () -> run.get(60, TimeUnit.SECONDS));
      assertTrue(
          failed.getCause() instanceof MigrationFailedException, String.valueOf(failed.getCause()));
      MigrationFailedException failure = (MigrationFailedException) failed.getCause();
      assertEquals(2L, failure.migration().version());
      // The lock's session was the migrations' own on PostgreSQL and MariaDB: its rollback fails
      // with it, and the
      // server discards the uncommitted transaction. Either way nothing of migration 2 committed.
      assertTrue(
          java.util.EnumSet.of(RollbackOutcome.ROLLED_BACK, RollbackOutcome.ROLLBACK_FAILED)
              .contains(failure.outcome()),
          failure.outcome() + ": " + failure.getMessage());
      System.out.println(db + ", lock session killed mid-run: " + failure.getMessage());
    } finally {
      release.countDown();
      thread.shutdownNow();
    }
    assertEquals(Set.of(1L), applied());
    assertEffectsMatchHistory("after the run that lost its lock");
    TestCatalog plainCatalog =
        TestCatalog.builder().add(1, add(1, 1)).add(2, add(2, 1)).add(3, add(3, 1)).build();
    assertEquals(
        List.of(2L, 3L), runner(plainCatalog, plain, Duration.ofMillis(500)).migrate().versions());
    assertEffectsMatchHistory("after the next run");
  }

  /** Returns a HikariCP pool of at most {@code size} connections to the test database. */
  HikariDataSource pool(int size, boolean autoCommit) {
    return pool(size, autoCommit, null);
  }

  /**
   * Returns a pool like {@link #pool(int, boolean)} whose connections first run {@code initSql}, if
   * not null.
   */
  HikariDataSource pool(int size, boolean autoCommit, String initSql) {
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(db.url());
    if (db.user() != null) {
      config.setUsername(db.user());
      config.setPassword(db.password());
    }
    config.setMaximumPoolSize(size);
    config.setMinimumIdle(0);
    config.setAutoCommit(autoCommit);
    config.setConnectionTimeout(30_000);
    config.setConnectionInitSql(initSql);
    return new HikariDataSource(config);
  }

  static void await(CountDownLatch latch) {
    try {
      if (!latch.await(60, TimeUnit.SECONDS)) {
        fail("latch not released");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
