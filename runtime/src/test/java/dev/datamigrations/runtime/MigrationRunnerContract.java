package dev.datamigrations.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import javax.sql.DataSource;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The runner's behaviour, asserted on the database through the public API; one subclass per
 * database. Each test uses tables of its own, named with a random prefix, so that suites running at
 * once do not meet.
 */
abstract class MigrationRunnerContract {

  /** Returns the database of the subclass. */
  abstract TestDatabase database();

  TestDatabase db;
  Jdbi jdbi;
  String history;
  String items;
  String counter;

  /**
   * A connection held open during each test so that an embedded H2 file database stays open instead
   * of being reopened for every handle; closed before a child JVM opens the same file.
   */
  Handle keeper;

  @BeforeEach
  void createTables() {
    db = database();
    db.assumeReachable();
    jdbi = db.jdbi();
    keeper = jdbi.open();
    String prefix = "dm" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
    history = prefix + "_hist";
    items = prefix + "_items";
    counter = prefix + "_counter";
    jdbi.useHandle(
        h -> {
          h.execute("CREATE TABLE " + items + " (id INT NOT NULL PRIMARY KEY, name VARCHAR(100))");
          h.execute("CREATE TABLE " + counter + " (version BIGINT NOT NULL)");
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
            for (String table : List.of(history, history + "_lock")) {
              h.execute("DROP TABLE IF EXISTS " + db.quote(table));
            }
            for (String table : List.of(items, counter)) {
              h.execute("DROP TABLE IF EXISTS " + table);
            }
          });
    }
  }

  // ---- helpers

  MigrationRunner.Builder configure(TestCatalog catalog) {
    return configure(jdbi, catalog);
  }

  MigrationRunner.Builder configure(Jdbi on, TestCatalog catalog) {
    return MigrationRunner.configure(on, catalog)
        .table(history)
        .lockTimeout(Duration.ofSeconds(60));
  }

  MigrationRunner runner(TestCatalog catalog) {
    return configure(catalog).build();
  }

  /**
   * Returns an {@code up} that records its version in the counter table, to count how often it ran.
   */
  Consumer<Handle> count(long version) {
    return h -> h.execute("INSERT INTO " + counter + " (version) VALUES (?)", version);
  }

  /** Returns an {@code up} that inserts item {@code id} and counts itself. */
  Consumer<Handle> insertItem(long version, int id) {
    return h -> {
      h.execute("INSERT INTO " + items + " (id, name) VALUES (?, ?)", id, "item " + id);
      count(version).accept(h);
    };
  }

  Consumer<Handle> deleteItem(int id) {
    return h -> h.execute("DELETE FROM " + items + " WHERE id = ?", id);
  }

  static Consumer<Handle> fail(String message) {
    return h -> {
      throw new IllegalStateException(message);
    };
  }

  /** Returns how often each version ran, from the counter table. */
  Map<Long, Integer> runs() {
    Map<Long, Integer> runs = new TreeMap<>();
    jdbi.useHandle(
        h ->
            h.createQuery("SELECT version FROM " + counter)
                .mapTo(Long.class)
                .forEach(v -> runs.merge(v, 1, Integer::sum)));
    return runs;
  }

  List<Integer> itemIds() {
    return jdbi.withHandle(
        h -> h.createQuery("SELECT id FROM " + items + " ORDER BY id").mapTo(Integer.class).list());
  }

  Map<Long, MigrationState> states(MigrationRunner runner) {
    Map<Long, MigrationState> states = new TreeMap<>();
    runner.status().forEach(s -> states.put(s.version(), s.state()));
    return states;
  }

  TestCatalog threeInserts() {
    return TestCatalog.builder()
        .addReversible(1, insertItem(1, 1), deleteItem(1))
        .addReversible(2, insertItem(2, 2), deleteItem(2))
        .addReversible(3, insertItem(3, 3), deleteItem(3))
        .build();
  }

  // ---- migrate

  @Test
  void appliesInVersionOrderWhateverTheClassNames() {
    List<Long> order = Collections.synchronizedList(new ArrayList<>());
    TestCatalog catalog =
        TestCatalog.builder()
            .add(
                20240101000000L,
                "z.Zeta",
                true,
                h -> {
                  order.add(1L);
                  h.execute("INSERT INTO " + items + " (id, name) VALUES (10, 'first')");
                },
                null)
            .add(
                20240102000000L,
                "a.Alpha",
                true,
                h -> {
                  order.add(2L);
                  h.execute("UPDATE " + items + " SET name = 'second' WHERE name = 'first'");
                },
                null)
            .add(
                20240103000000L,
                "m.Middle",
                true,
                h -> {
                  order.add(3L);
                  h.execute("UPDATE " + items + " SET name = 'third' WHERE name = 'second'");
                },
                null)
            .build();

    MigrateResult result = runner(catalog).migrate();

    assertEquals(List.of(20240101000000L, 20240102000000L, 20240103000000L), result.versions());
    assertEquals(List.of(1L, 2L, 3L), order);
    assertEquals(0, result.alreadyApplied());
    assertEquals(
        "third",
        jdbi.withHandle(
            h ->
                h.createQuery("SELECT name FROM " + items + " WHERE id = 10")
                    .mapTo(String.class)
                    .one()));
    assertTrue(
        states(runner(catalog)).values().stream().allMatch(s -> s == MigrationState.APPLIED));
  }

  @Test
  void rerunIsANoOp() {
    MigrationRunner runner = runner(threeInserts());
    assertEquals(List.of(1L, 2L, 3L), runner.migrate().versions());

    MigrateResult again = runner.migrate();

    assertEquals(List.of(), again.executed());
    assertEquals(3, again.alreadyApplied());
    assertEquals(Map.of(1L, 1, 2L, 1, 3L, 1), runs());
    assertEquals(List.of(), runner.pending());
    runner.assertNoPending();
  }

  @Test
  void failureMidwayRollsBackThatMigrationAndStopsTheRun() {
    TestCatalog broken =
        TestCatalog.builder()
            .add(1, insertItem(1, 1))
            .add(2, "test.BrokenMigration", true, insertItem(2, 2).andThen(fail("boom")), null)
            .add(3, insertItem(3, 3))
            .build();
    MigrationRunner runner = runner(broken);

    MigrationFailedException failure =
        assertThrows(MigrationFailedException.class, runner::migrate);

    assertEquals(2, failure.migration().version());
    assertEquals(Direction.UP, failure.direction());
    assertTrue(failure.rolledBack());
    assertTrue(
        failure.getMessage().contains("Data migration 2 (Migration 2, test.BrokenMigration)"),
        failure.getMessage());
    assertTrue(failure.getMessage().contains("boom"), failure.getMessage());
    assertTrue(failure.getMessage().contains("rolled back"), failure.getMessage());
    assertEquals(List.of(1), itemIds());
    assertEquals(Map.of(1L, 1), runs());
    assertEquals(
        Map.of(1L, MigrationState.APPLIED, 2L, MigrationState.PENDING, 3L, MigrationState.PENDING),
        states(runner));

    // Fixed, and run again: applies the rest once.
    MigrationRunner fixed = runner(threeInserts());
    assertEquals(List.of(2L, 3L), fixed.migrate().versions());
    assertEquals(List.of(1, 2, 3), itemIds());
    assertEquals(Map.of(1L, 1, 2L, 1, 3L, 1), runs());
  }

  @Test
  void aRunnerOnAPlainDataSourceAppliesRollsBackAndReRunsLikeOneOnJdbi() {
    DataSource dataSource = db.dataSource();
    TestCatalog broken =
        TestCatalog.builder()
            .add(1, insertItem(1, 1))
            .add(2, "test.BrokenMigration", true, insertItem(2, 2).andThen(fail("boom")), null)
            .build();
    MigrationRunner onDataSource =
        MigrationRunner.configure(dataSource, broken)
            .table(history)
            .lockTimeout(Duration.ofSeconds(60))
            .build();

    MigrationFailedException failure =
        assertThrows(MigrationFailedException.class, onDataSource::migrate);

    assertEquals(2, failure.migration().version());
    assertTrue(failure.rolledBack());
    assertEquals(List.of(1), itemIds());
    assertEquals(Map.of(1L, 1), runs());

    MigrationRunner fixed =
        MigrationRunner.configure(dataSource, threeInserts())
            .table(history)
            .lockTimeout(Duration.ofSeconds(60))
            .build();
    assertEquals(List.of(2L, 3L), fixed.migrate().versions());
    assertEquals(List.of(), fixed.migrate().versions(), "nothing pending: a no-op");
    assertEquals(List.of(1, 2, 3), itemIds());
    assertEquals(Map.of(1L, 1, 2L, 1, 3L, 1), runs());
    assertEquals(List.of(3L), fixed.rollback().versions());
    assertEquals(List.of(1, 2), itemIds());
  }

  @Test
  void nonTransactionalFailureKeepsItsWritesAndWritesNoRow() {
    TestCatalog catalog =
        TestCatalog.builder()
            .add(1, "test.Backfill", false, insertItem(1, 1).andThen(fail("halfway")), null)
            .build();
    MigrationRunner runner = runner(catalog);

    MigrationFailedException failure =
        assertThrows(MigrationFailedException.class, runner::migrate);

    assertFalse(failure.rolledBack());
    assertTrue(failure.getMessage().contains("NOT rolled back"), failure.getMessage());
    assertEquals(List.of(1), itemIds());
    assertEquals(Map.of(1L, MigrationState.PENDING), states(runner));
  }

  @Test
  void nonTransactionalSuccessWritesItsRow() {
    TestCatalog catalog =
        TestCatalog.builder()
            .add(1, insertItem(1, 1))
            .add(2, "test.Backfill", false, insertItem(2, 2), null)
            .add(3, insertItem(3, 3))
            .build();
    MigrationRunner runner = runner(catalog);
    assertEquals(List.of(1L, 2L, 3L), runner.migrate().versions());
    assertEquals(List.of(1, 2, 3), itemIds());
    assertTrue(states(runner).values().stream().allMatch(s -> s == MigrationState.APPLIED));
  }

  @Test
  void removedMigrationShowsInStatusAndNeverFailsARun() {
    runner(threeInserts()).migrate();
    TestCatalog withoutOne =
        TestCatalog.builder()
            .addReversible(2, insertItem(2, 2), deleteItem(2))
            .addReversible(3, insertItem(3, 3), deleteItem(3))
            .add(4, insertItem(4, 4))
            .build();
    MigrationRunner runner = runner(withoutOne);

    assertEquals(List.of(4L), runner.migrate().versions());

    MigrationStatus removed = runner.status().get(0);
    assertEquals(1, removed.version());
    assertEquals(MigrationState.REMOVED, removed.state());
    assertEquals("Migration 1", removed.description());
    assertEquals("test.M1", removed.className());
    assertFalse(removed.reversible());
    assertNotNull(removed.appliedAt());
    assertEquals(
        Map.of(
            1L,
            MigrationState.REMOVED,
            2L,
            MigrationState.APPLIED,
            3L,
            MigrationState.APPLIED,
            4L,
            MigrationState.APPLIED),
        states(runner));
  }

  @Test
  void outOfOrderVersionIsAppliedWithApply() {
    runner(TestCatalog.builder().add(1, insertItem(1, 1)).add(3, insertItem(3, 3)).build())
        .migrate();
    TestCatalog merged =
        TestCatalog.builder()
            .add(1, insertItem(1, 1))
            .add(2, insertItem(2, 2))
            .add(3, insertItem(3, 3))
            .build();
    MigrationRunner runner = configure(merged).outOfOrder(OutOfOrderPolicy.APPLY).build();

    assertEquals(List.of(2L), runner.pending().stream().map(MigrationDescriptor::version).toList());
    MigrateResult result = runner.migrate();

    assertEquals(List.of(2L), result.versions());
    assertEquals(2, result.alreadyApplied());
    assertEquals(List.of(1, 2, 3), itemIds());
  }

  @Test
  void outOfOrderVersionIsRefusedWithRefuseBeforeAnythingChanges() {
    runner(TestCatalog.builder().add(1, insertItem(1, 1)).add(3, insertItem(3, 3)).build())
        .migrate();
    TestCatalog merged =
        TestCatalog.builder()
            .add(1, insertItem(1, 1))
            .add(2, insertItem(2, 2))
            .add(3, insertItem(3, 3))
            .add(4, insertItem(4, 4))
            .build();
    MigrationRunner runner = configure(merged).outOfOrder(OutOfOrderPolicy.REFUSE).build();

    OutOfOrderMigrationException refused =
        assertThrows(OutOfOrderMigrationException.class, runner::migrate);

    assertTrue(refused.getMessage().contains("2 (Migration 2, test.M2)"), refused.getMessage());
    assertEquals(List.of(1, 3), itemIds());
    assertEquals(Map.of(1L, 1, 3L, 1), runs());
    assertEquals(
        Map.of(
            1L,
            MigrationState.APPLIED,
            2L,
            MigrationState.PENDING,
            3L,
            MigrationState.APPLIED,
            4L,
            MigrationState.PENDING),
        states(runner));
  }

  // ---- up, down, rollback

  @Test
  void rollbackRevertsTheHighestVersionsNewestFirst() {
    List<Long> reverted = Collections.synchronizedList(new ArrayList<>());
    TestCatalog catalog =
        TestCatalog.builder()
            .addReversible(1, insertItem(1, 1), deleteItem(1).andThen(h -> reverted.add(1L)))
            .addReversible(2, insertItem(2, 2), deleteItem(2).andThen(h -> reverted.add(2L)))
            .addReversible(3, insertItem(3, 3), deleteItem(3).andThen(h -> reverted.add(3L)))
            .build();
    MigrationRunner runner = runner(catalog);
    runner.migrate();

    MigrateResult one = runner.rollback();
    assertEquals(List.of(3L), one.versions());
    assertEquals(Direction.DOWN, one.executed().get(0).direction());
    assertEquals(List.of(1, 2), itemIds());

    MigrateResult two = runner.rollback(2);
    assertEquals(List.of(2L, 1L), two.versions());
    assertEquals(List.of(3L, 2L, 1L), reverted);
    assertEquals(List.of(), itemIds());
    assertTrue(states(runner).values().stream().allMatch(s -> s == MigrationState.PENDING));

    assertEquals(List.of(), runner.rollback().executed());
    assertThrows(IllegalArgumentException.class, () -> runner.rollback(0));
  }

  @Test
  void upAppliesOneVersionAndDownRevertsIt() {
    MigrationRunner runner = runner(threeInserts());

    assertEquals(List.of(2L), runner.up(2).versions());
    assertEquals(List.of(2), itemIds());
    MigrateResult again = runner.up(2);
    assertEquals(List.of(), again.executed());
    assertEquals(1, again.alreadyApplied());

    assertEquals(List.of(2L), runner.down(2).versions());
    assertEquals(List.of(), itemIds());
    assertTrue(states(runner).values().stream().allMatch(s -> s == MigrationState.PENDING));

    MigrationNotAppliedException notApplied =
        assertThrows(MigrationNotAppliedException.class, () -> runner.down(2));
    assertTrue(notApplied.getMessage().contains("not applied"), notApplied.getMessage());
    assertEquals(2L, notApplied.version());
  }

  @Test
  void irreversibleDownFailsBeforeAnythingChanges() {
    TestCatalog catalog =
        TestCatalog.builder()
            .addReversible(1, insertItem(1, 1), deleteItem(1))
            .add(2, insertItem(2, 2))
            .build();
    MigrationRunner runner = runner(catalog);
    runner.migrate();

    IrreversibleMigrationException down =
        assertThrows(IrreversibleMigrationException.class, () -> runner.down(2));
    assertTrue(down.getMessage().contains("2 (Migration 2, test.M2)"), down.getMessage());
    assertEquals(java.util.OptionalLong.of(2L), down.version());
    assertEquals("test.M2", down.className());
    IrreversibleMigrationException rollback =
        assertThrows(IrreversibleMigrationException.class, () -> runner.rollback(2));
    assertEquals(java.util.OptionalLong.of(2L), rollback.version());
    assertEquals("test.M2", rollback.className());

    assertEquals(List.of(1, 2), itemIds());
    assertEquals(Map.of(1L, MigrationState.APPLIED, 2L, MigrationState.APPLIED), states(runner));
  }

  @Test
  void rollbackOfARemovedMigrationFailsBeforeAnythingChanges() {
    runner(threeInserts()).migrate();
    MigrationRunner withoutNewest =
        runner(
            TestCatalog.builder()
                .addReversible(1, insertItem(1, 1), deleteItem(1))
                .addReversible(2, insertItem(2, 2), deleteItem(2))
                .build());

    UnknownMigrationVersionException removed =
        assertThrows(UnknownMigrationVersionException.class, () -> withoutNewest.rollback(2));

    assertTrue(removed.getMessage().contains("no longer in the code"), removed.getMessage());
    assertEquals(3L, removed.version());
    assertEquals(List.of(1L, 2L), removed.knownVersions());
    assertEquals(List.of(1, 2, 3), itemIds());
    assertEquals(List.of(2L), withoutNewest.down(2).versions());
  }

  @Test
  void unknownVersionListsTheKnownOnes() {
    MigrationRunner runner = runner(threeInserts());

    UnknownMigrationVersionException up =
        assertThrows(UnknownMigrationVersionException.class, () -> runner.up(99));
    assertTrue(up.getMessage().contains("99"), up.getMessage());
    assertTrue(up.getMessage().contains("Known versions: 1, 2, 3"), up.getMessage());
    assertEquals(99L, up.version());
    assertEquals(List.of(1L, 2L, 3L), up.knownVersions());
    UnknownMigrationVersionException down =
        assertThrows(UnknownMigrationVersionException.class, () -> runner.down(99));
    assertEquals(99L, down.version());
    assertEquals(List.of(1L, 2L, 3L), down.knownVersions());
    assertEquals(List.of(), itemIds());
  }

  // ---- status, pending, audit

  @Test
  void pendingAndStatusReadWithoutCreatingTheTable() {
    MigrationRunner runner = runner(threeInserts());

    assertEquals(
        List.of(1L, 2L, 3L), runner.pending().stream().map(MigrationDescriptor::version).toList());
    assertEquals(3, runner.status().size());
    PendingMigrationsException pending =
        assertThrows(PendingMigrationsException.class, runner::assertNoPending);
    assertEquals(3, pending.pending().size());

    // The history table does not exist yet: selecting from it fails.
    assertThrows(
        RuntimeException.class,
        () ->
            jdbi.useHandle(
                h ->
                    h.createQuery("SELECT COUNT(*) FROM " + db.quote(history))
                        .mapTo(Integer.class)
                        .one()));
  }

  @Test
  void statusShowsTheAuditColumns() {
    Instant before = Instant.now().minusSeconds(120);
    MigrationRunner runner =
        configure(threeInserts()).operator("alice").reason("JIRA-123 backfill").build();
    runner.up(1);

    MigrationStatus applied = runner.status().get(0);
    assertEquals(MigrationState.APPLIED, applied.state());
    assertTrue(applied.reversible());
    assertTrue(applied.appliedBy().startsWith("alice (db user "), applied.appliedBy());
    assertEquals("JIRA-123 backfill", applied.reason());
    assertNotNull(applied.executionTime());
    assertTrue(
        applied.appliedAt().isAfter(before), applied.appliedAt() + " is not after " + before);
    assertTrue(
        applied.appliedAt().isBefore(Instant.now().plusSeconds(120)),
        applied.appliedAt().toString());

    MigrationStatus pending = runner.status().get(1);
    assertEquals(MigrationState.PENDING, pending.state());
    assertNull(pending.appliedAt());
    assertNull(pending.appliedBy());
  }

  @Test
  void listenerHearsEachMigration() {
    List<String> heard = Collections.synchronizedList(new ArrayList<>());
    MigrationListener listener =
        new MigrationListener() {
          @Override
          public void started(MigrationDescriptor migration, Direction direction) {
            heard.add("started " + migration.version() + " " + direction);
          }

          @Override
          public void succeeded(MigrationExecution execution) {
            heard.add("succeeded " + execution.migration().version());
          }

          @Override
          public void failed(MigrationFailedException failure) {
            heard.add("failed " + failure.migration().version());
          }
        };
    TestCatalog catalog = TestCatalog.builder().add(1, insertItem(1, 1)).add(2, fail("no")).build();

    assertThrows(
        MigrationFailedException.class,
        () -> configure(catalog).listener(listener).build().migrate());

    assertEquals(List.of("started 1 UP", "succeeded 1", "started 2 UP", "failed 2"), heard);
  }

  @Test
  void configuredIdentifiersAreValidated() {
    TestCatalog catalog = threeInserts();
    DataMigrationException table =
        assertThrows(
            DataMigrationException.class,
            () -> MigrationRunner.configure(jdbi, catalog).table("history; DROP TABLE x").build());
    assertTrue(
        table
            .getMessage()
            .contains("History table name \"history; DROP TABLE x\" is not a plain SQL identifier"),
        table.getMessage());
    DataMigrationException schema =
        assertThrows(
            DataMigrationException.class,
            () -> MigrationRunner.configure(jdbi, catalog).schema("a.b").build());
    assertTrue(schema.getMessage().contains("History table schema \"a.b\""), schema.getMessage());
    assertThrows(
        DataMigrationException.class,
        () -> MigrationRunner.configure(jdbi, catalog).table("x".repeat(59)).build());
  }

  // ---- concurrency, locks, crashes

  @Test
  void concurrentRunnersApplyEachMigrationOnce() throws Exception {
    int runners = 8;
    String created = items + "_c";
    // DDL: not transactional, as H2 and MariaDB require (they refuse DDL inside a migration's
    // transaction).
    TestCatalog.Builder builder =
        TestCatalog.builder()
            .add(
                1, "test.M1", false, h -> h.execute("CREATE TABLE " + created + " (id INT)"), null);
    for (long version = 2; version <= 6; version++) {
      builder.add(version, count(version));
    }
    TestCatalog catalog = builder.build();
    CyclicBarrier start = new CyclicBarrier(runners);
    ExecutorService pool = Executors.newFixedThreadPool(runners);
    try {
      List<Future<MigrateResult>> results = new ArrayList<>();
      for (int i = 0; i < runners; i++) {
        MigrationRunner runner = configure(db.jdbi(), catalog).build();
        results.add(
            pool.submit(
                () -> {
                  start.await(30, TimeUnit.SECONDS);
                  return runner.migrate();
                }));
      }
      int executed = 0;
      for (Future<MigrateResult> result : results) {
        executed += result.get(120, TimeUnit.SECONDS).executed().size();
      }
      assertEquals(6, executed);
      assertEquals(Map.of(2L, 1, 3L, 1, 4L, 1, 5L, 1, 6L, 1), runs());
    } finally {
      pool.shutdownNow();
      jdbi.useHandle(h -> h.execute("DROP TABLE IF EXISTS " + created));
    }
  }

  @Test
  void lockTimeoutGivesAClearError() throws Exception {
    CountDownLatch started = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    TestCatalog blocking =
        TestCatalog.builder()
            .add(
                1,
                h -> {
                  started.countDown();
                  try {
                    release.await(60, TimeUnit.SECONDS);
                  } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                  }
                })
            .build();
    ExecutorService pool = Executors.newSingleThreadExecutor();
    try {
      Future<MigrateResult> holder = pool.submit(() -> runner(blocking).migrate());
      assertTrue(
          started.await(60, TimeUnit.SECONDS), "the first runner never started its migration");

      MigrationRunner waiter =
          configure(db.jdbi(), blocking).lockTimeout(Duration.ofMillis(300)).build();
      long t0 = System.nanoTime();
      MigrationLockException timeout = assertThrows(MigrationLockException.class, waiter::migrate);
      long waited = (System.nanoTime() - t0) / 1_000_000;

      assertTrue(timeout.getMessage().contains("Timed out after 300 ms"), timeout.getMessage());
      assertTrue(timeout.getMessage().contains(history), timeout.getMessage());
      assertTrue(waited < 10_000, "waited " + waited + " ms");
      release.countDown();
      assertEquals(List.of(1L), holder.get(60, TimeUnit.SECONDS).versions());
      assertEquals(List.of(), waiter.migrate().executed());
    } finally {
      release.countDown();
      pool.shutdownNow();
    }
  }

  @Test
  void aKilledRunLeavesNoPartialEffectAndTheNextRunAppliesItOnce() throws Exception {
    keeper.close();
    Path output = Files.createTempFile("datamigrations-child", ".log");
    Process child =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                KilledRunMain.class.getName(),
                db.url(),
                db.user() == null ? "" : db.user(),
                db.password() == null ? "" : db.password(),
                history,
                items)
            .redirectErrorStream(true)
            .redirectOutput(output.toFile())
            .start();
    boolean exited = child.waitFor(90, TimeUnit.SECONDS);
    child.destroyForcibly().waitFor();
    String log = Files.readString(output, StandardCharsets.UTF_8);
    Files.delete(output);
    assertTrue(exited, "the child JVM did not halt:\n" + log);
    assertEquals(1, child.exitValue(), "child output:\n" + log);
    assertTrue(log.contains(KilledRunMain.HALTING), "child output:\n" + log);

    MigrationRunner runner = runner(KilledRunMain.catalog(items, false));
    assertEquals(Map.of(1L, MigrationState.APPLIED, 2L, MigrationState.PENDING), states(runner));
    assertEquals(List.of(1), itemIds());

    assertEquals(List.of(2L), runner.migrate().versions());
    assertEquals(List.of(1, 20, 21, 22), itemIds());
    assertEquals(List.of(), runner.migrate().executed());
  }

  // ---- DDL inside a transactional migration (issue 9, item 3)

  /** Returns whether the database commits DDL implicitly, so that the runner must refuse it. */
  boolean commitsDdlImplicitly() {
    return db.name().equals("H2") || db.name().equals("MariaDB");
  }

  boolean tableExists(String table) throws java.sql.SQLException {
    return jdbi.withHandle(
        h -> {
          try (var tables =
              h.getConnection().getMetaData().getTables(null, null, null, new String[] {"TABLE"})) {
            while (tables.next()) {
              if (tables.getString("TABLE_NAME").equalsIgnoreCase(table)) {
                return true;
              }
            }
            return false;
          }
        });
  }

  /**
   * Runs a transactional migration that inserts a row, runs {@code ddl} to create {@code created},
   * inserts another and fails; asserts that nothing of it stays, whatever the database.
   */
  void assertDdlLeavesNothingBehind(String created, Consumer<Handle> ddl, boolean onDataSource)
      throws java.sql.SQLException {
    TestCatalog catalog =
        TestCatalog.builder()
            .add(
                20240101000000L,
                "com.acme.AddThings",
                true,
                insertItem(20240101000000L, 1)
                    .andThen(ddl)
                    .andThen(insertItem(20240101000000L, 2))
                    .andThen(fail("after the DDL")),
                null)
            .build();
    MigrationRunner runner =
        onDataSource
            ? MigrationRunner.configure(db.dataSource(), catalog).table(history).build()
            : runner(catalog);
    try {
      MigrationFailedException failure =
          assertThrows(MigrationFailedException.class, runner::migrate);

      assertEquals(RollbackOutcome.ROLLED_BACK, failure.outcome());
      String message = failure.getMessage();
      if (commitsDdlImplicitly()) {
        assertTrue(failure.getCause() instanceof CommitRefusedException, message);
        assertTrue(
            message.startsWith(
                "Data migration 20240101000000 (Migration 20240101000000, com.acme.AddThings) ran DDL (CREATE"
                    + " TABLE ...) inside its transaction; "
                    + (db.name().equals("H2") ? "H2 commits" : "MySQL/MariaDB commits")
                    + " DDL implicitly, so it cannot be rolled back there. It was refused before it ran. Use"
                    + " transactional = false, or put DDL in your schema migrations (Flyway/Liquibase)."),
            message);
      } else {
        assertTrue(message.contains("after the DDL"), message);
      }
      assertTrue(
          message.endsWith("Its changes were rolled back and its history row was not written."),
          message);
      assertEquals(List.of(), itemIds(), "the row inserted before the DDL stays nowhere");
      assertFalse(tableExists(created), "the table the DDL made is gone");
      assertEquals(Map.of(20240101000000L, MigrationState.PENDING), states(runner));
    } finally {
      jdbi.useHandle(h -> h.execute("DROP TABLE IF EXISTS " + created));
    }
  }

  @Test
  void aTransactionalMigrationWithDdlThroughJdbiLeavesNothingBehind() throws java.sql.SQLException {
    String created = history + "_ddl";
    assertDdlLeavesNothingBehind(
        created, h -> h.execute("CREATE TABLE " + created + " (id INT)"), false);
  }

  @Test
  void aTransactionalMigrationWithDdlThroughRawJdbcLeavesNothingBehind()
      throws java.sql.SQLException {
    String created = history + "_raw";
    assertDdlLeavesNothingBehind(
        created,
        h -> {
          try (java.sql.Statement statement = h.getConnection().createStatement()) {
            statement.execute("/* made by hand */\n  create table " + created + " (id INT)");
          } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
          }
        },
        false);
  }

  @Test
  void aTransactionalMigrationWithDdlOnAPlainDataSourceLeavesNothingBehind()
      throws java.sql.SQLException {
    String created = history + "_ds";
    assertDdlLeavesNothingBehind(
        created,
        h -> {
          try (var statement =
              h.getConnection().prepareStatement("CREATE TABLE " + created + " (id INT)")) {
            statement.execute();
          } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
          }
        },
        true);
  }

  @Test
  void aTransactionalMigrationWithDdlInAScriptLeavesNothingBehind() throws java.sql.SQLException {
    String created = history + "_script";
    assertDdlLeavesNothingBehind(
        created,
        h ->
            h.createScript(
                    "UPDATE " + items + " SET name = 'x; y'; CREATE TABLE " + created + " (id INT)")
                .execute(),
        false);
  }

  @Test
  void aMigrationThatCatchesTheRefusalStillFailsAndLeavesNothingBehind()
      throws java.sql.SQLException {
    String created = history + "_caught";
    assertDdlLeavesNothingBehind(
        created,
        h -> {
          try {
            h.execute("CREATE TABLE " + created + " (id INT)");
          } catch (RuntimeException swallowed) {
            // A migration that tries to go on without its table.
          }
        },
        false);
  }

  @Test
  void aNonTransactionalMigrationMayRunDdlAndTheRunnersOwnTablesAreCreated()
      throws java.sql.SQLException {
    String created = history + "_nontx";
    TestCatalog catalog =
        TestCatalog.builder()
            .add(
                1, "test.Ddl", false, h -> h.execute("CREATE TABLE " + created + " (id INT)"), null)
            .add(2, insertItem(2, 2))
            .build();
    try {
      assertEquals(List.of(1L, 2L), runner(catalog).migrate().versions());
      assertTrue(tableExists(created));
      assertEquals(List.of(2), itemIds());
    } finally {
      jdbi.useHandle(h -> h.execute("DROP TABLE IF EXISTS " + created));
    }
  }

  /**
   * Runs a migration that inserts a row, commits or rolls back by itself with {@code escape},
   * inserts and fails.
   */
  void assertEscapeIsRefused(Consumer<Handle> escape, String refused) {
    TestCatalog catalog =
        TestCatalog.builder()
            .add(
                1,
                "test.CommitsItself",
                true,
                insertItem(1, 1)
                    .andThen(escape)
                    .andThen(insertItem(1, 2))
                    .andThen(fail("after the commit")),
                null)
            .build();
    MigrationRunner runner = runner(catalog);

    MigrationFailedException failure =
        assertThrows(MigrationFailedException.class, runner::migrate);

    assertTrue(failure.getCause() instanceof CommitRefusedException, failure.getMessage());
    assertTrue(
        failure
            .getMessage()
            .startsWith("Data migration 1 (Migration 1, test.CommitsItself) " + refused),
        failure.getMessage());
    assertTrue(
        failure
            .getMessage()
            .contains(
                " inside its transaction; the runner commits a transactional migration itself, together with its"
                    + " history row. It was refused before it ran. Use transactional = false for a migration that must"
                    + " commit as it goes"),
        failure.getMessage());
    assertTrue(
        failure
            .getMessage()
            .endsWith("Its changes were rolled back and its history row was not written."));
    assertEquals(List.of(), itemIds(), "the row inserted before the commit stays nowhere");
    assertEquals(Map.of(1L, MigrationState.PENDING), states(runner));
  }

  @Test
  void aTransactionalMigrationThatCommitsItselfIsRefusedOnEveryDatabase() {
    // Jdbi's commit() first restores auto-commit, which commits too: that call is the one refused.
    assertEscapeIsRefused(Handle::commit, "called ");
    assertEscapeIsRefused(
        h -> {
          try {
            h.getConnection().commit();
          } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
          }
        },
        "called commit()");
    assertEscapeIsRefused(h -> h.execute("COMMIT"), "ran COMMIT");
    assertEscapeIsRefused(
        h -> {
          try {
            h.getConnection().setAutoCommit(true);
          } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
          }
        },
        "called setAutoCommit(true)");
  }

  @Test
  void aTransactionalMigrationMayUseSavepointsAndNestedJdbiTransactions() {
    TestCatalog catalog =
        TestCatalog.builder()
            .add(
                1,
                h -> {
                  h.execute("INSERT INTO " + items + " (id, name) VALUES (1, 'kept')");
                  h.savepoint("before_two");
                  h.execute("INSERT INTO " + items + " (id, name) VALUES (2, 'undone')");
                  h.rollbackToSavepoint("before_two");
                  h.useTransaction(
                      inner ->
                          inner.execute("INSERT INTO " + items + " (id, name) VALUES (3, 'x')"));
                })
            .build();

    assertEquals(List.of(1L), runner(catalog).migrate().versions());

    assertEquals(List.of(1, 3), itemIds());
  }

  // ---- messages say what happened

  @Test
  void upOfAVersionRemovedFromTheCodeQuotesItsHistoryRow() {
    runner(threeInserts()).migrate();
    TestCatalog withoutOne =
        TestCatalog.builder().addReversible(2, insertItem(2, 2), deleteItem(2)).build();

    UnknownMigrationVersionException unknown =
        assertThrows(UnknownMigrationVersionException.class, () -> runner(withoutOne).up(1));

    assertTrue(
        unknown
            .getMessage()
            .contains("(the history says it was applied as Migration 1, test.M1, since removed"),
        unknown.getMessage());
    assertFalse(unknown.getMessage().contains("null"), unknown.getMessage());
  }

  @Test
  void aFailureAfterEarlierMigrationsListsThemAsApplied() {
    TestCatalog broken =
        TestCatalog.builder()
            .add(1, insertItem(1, 1))
            .add(2, insertItem(2, 2))
            .add(3, "test.Broken", true, fail("boom"), null)
            .build();

    MigrationFailedException failure =
        assertThrows(MigrationFailedException.class, runner(broken)::migrate);

    assertEquals(
        List.of(1L, 2L),
        failure.completedBefore().stream().map(e -> e.migration().version()).toList());
    assertTrue(
        failure
            .getMessage()
            .endsWith(
                "Its changes were rolled back and its history row was not written. Before this failure, this run applied"
                    + " 2 data migrations, which stay applied: 1 (Migration 1, test.M1), 2 (Migration 2, test.M2)."),
        failure.getMessage());
  }

  @Test
  void aFailedRollbackStepListsWhatWasRevertedBefore() {
    TestCatalog catalog =
        TestCatalog.builder()
            .addReversible(1, insertItem(1, 1), fail("cannot undo 1"))
            .addReversible(2, insertItem(2, 2), deleteItem(2))
            .build();
    runner(catalog).migrate();

    MigrationFailedException failure =
        assertThrows(MigrationFailedException.class, () -> runner(catalog).rollback(2));

    assertEquals(Direction.DOWN, failure.direction());
    assertTrue(
        failure
            .getMessage()
            .contains(
                "Its changes were rolled back and its history row was not deleted. Before this failure, this run"
                    + " reverted 1 data migration, which stays reverted: 2 (Migration 2, test.M2)."),
        failure.getMessage());
    assertEquals(
        Map.of(1L, MigrationState.APPLIED, 2L, MigrationState.PENDING), states(runner(catalog)));
  }
}
