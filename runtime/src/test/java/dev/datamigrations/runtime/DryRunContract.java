package dev.datamigrations.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.datamigrations.runtime.backfill.BackfillSettings;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.OptionalLong;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The dry run ({@link MigrationRunner#dryRun()}), asserted through the public API and the
 * database's state; one subclass per database. Every test compares the whole state of its tables
 * (user tables, history, every table whose name has the test's prefix) before and after the dry
 * run.
 */
abstract class DryRunContract {

  abstract TestDatabase database();

  /** Whether the database commits DDL implicitly (H2, MySQL, MariaDB). */
  abstract boolean commitsDdlImplicitly();

  /** Whether the run lock is a row of a lock table that a run creates (H2). */
  boolean lockIsATableRow() {
    return false;
  }

  TestDatabase db;
  Jdbi jdbi;
  Handle keeper;
  String prefix;
  String history;
  String items;
  String marker;

  @BeforeEach
  void createTables() {
    db = database();
    db.assumeReachable();
    jdbi = db.jdbi();
    keeper = jdbi.open();
    prefix = "dr" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
    history = prefix + "_hist";
    items = prefix + "_items";
    marker = prefix + "_marker";
    jdbi.useHandle(
        h -> {
          h.execute(
              "CREATE TABLE " + items + " (id BIGINT NOT NULL PRIMARY KEY, hits INT NOT NULL)");
          h.execute("CREATE TABLE " + marker + " (name VARCHAR(100) NOT NULL)");
          for (int id = 1; id <= 5; id++) {
            h.execute("INSERT INTO " + items + " (id, hits) VALUES (?, 0)", id);
          }
        });
  }

  @AfterEach
  void dropTables() {
    if (keeper != null) {
      List<String> tables = tables();
      keeper.close();
      jdbi.useHandle(
          h -> {
            for (String table : tables) {
              h.execute("DROP TABLE IF EXISTS " + table);
            }
          });
    }
  }

  // ---- helpers

  MigrationRunner.Builder configure(MigrationCatalog catalog) {
    return MigrationRunner.configure(jdbi, catalog)
        .table(history)
        .lockTimeout(Duration.ofSeconds(60));
  }

  MigrationRunner runner(MigrationCatalog catalog) {
    return configure(catalog).build();
  }

  Consumer<Handle> mark(String name) {
    return h -> h.execute("INSERT INTO " + marker + " (name) VALUES (?)", name);
  }

  /** Returns the tables whose name starts with this test's prefix, in lower case. */
  List<String> tables() {
    TreeSet<String> names = new TreeSet<>();
    try (ResultSet rows =
        keeper.getConnection().getMetaData().getTables(null, null, "%", new String[] {"TABLE"})) {
      while (rows.next()) {
        String name = rows.getString("TABLE_NAME").toLowerCase(Locale.ROOT);
        if (name.startsWith(prefix)) {
          names.add(name);
        }
      }
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
    return new ArrayList<>(names);
  }

  /** Returns every table of this test with all its rows, sorted: equal when nothing changed. */
  List<String> snapshot() {
    List<String> state = new ArrayList<>();
    for (String table : tables()) {
      List<String> rows = new ArrayList<>();
      try (Statement statement = keeper.getConnection().createStatement();
          ResultSet result = statement.executeQuery("SELECT * FROM " + table)) {
        ResultSetMetaData meta = result.getMetaData();
        while (result.next()) {
          StringBuilder row = new StringBuilder();
          for (int i = 1; i <= meta.getColumnCount(); i++) {
            row.append(result.getString(i)).append('|');
          }
          rows.add(row.toString());
        }
      } catch (SQLException e) {
        throw new IllegalStateException(e);
      }
      rows.sort(null);
      state.add(table + " " + rows);
    }
    return state;
  }

  static List<DryRunOutcome> outcomes(DryRunReport report) {
    return report.entries().stream().map(DryRunEntry::outcome).toList();
  }

  static List<OptionalLong> rows(DryRunEntry entry) {
    return entry.statements().stream().map(DryRunStatement::rowsChanged).toList();
  }

  // ---- what it changes: nothing

  @Test
  void aDryRunOfMigrateReportsRowsPerStatementAndChangesNothing() {
    TestCatalog catalog =
        TestCatalog.builder()
            .add(1, mark("first"))
            .add(
                2,
                h -> {
                  h.execute("INSERT INTO " + items + " (id, hits) VALUES (?, 0)", 6);
                  h.execute("INSERT INTO " + items + " (id, hits) VALUES (7, 0), (8, 0)");
                  h.execute("UPDATE " + items + " SET hits = hits + 1 WHERE id <= 3");
                  h.execute("DELETE FROM " + items + " WHERE id = 5");
                })
            // Sees migration 2's rows inside the same (rolled-back) transaction.
            .add(3, h -> h.execute("UPDATE " + items + " SET hits = 10 WHERE id >= 6"))
            .build();
    runner(TestCatalog.builder().add(1, mark("first")).build()).migrate();
    List<String> before = snapshot();

    DryRunReport report = runner(catalog).dryRun().migrate();

    assertEquals(before, snapshot(), "same rows in every table, the history included");
    assertEquals("migrate", report.verb());
    assertEquals(1, report.alreadyApplied());
    assertTrue(report.runLockHeld());
    assertEquals(
        List.of(DryRunOutcome.WOULD_SUCCEED, DryRunOutcome.WOULD_SUCCEED), outcomes(report));
    DryRunEntry two = report.entries().get(0);
    assertEquals(2, two.migration().version());
    assertEquals(Direction.UP, two.direction());
    assertNull(two.reason());
    assertEquals(
        List.of(OptionalLong.of(1), OptionalLong.of(2), OptionalLong.of(3), OptionalLong.of(1)),
        rows(two));
    assertEquals(4, two.statementCount());
    assertEquals(7, two.rowsChanged());
    assertEquals(
        "INSERT INTO " + items + " (id, hits) VALUES (?, 0)", two.statements().get(0).sql());
    assertEquals(3, report.entries().get(1).rowsChanged(), "saw the 3 rows migration 2 inserted");
    assertEquals(10, report.rowsChanged());
    assertTrue(report.wouldSucceed());
    assertTrue(report.fullyDryRun());
    assertEquals(
        List.of(2L, 3L),
        runner(catalog).pending().stream().map(MigrationDescriptor::version).toList(),
        "2 and 3 are still pending");
  }

  @Test
  void aDryRunOnAFreshDatabaseCreatesNoTableAndPlansAgainstAnEmptyHistory() {
    TestCatalog catalog =
        TestCatalog.builder()
            .add(1, mark("one"))
            .add(2, h -> h.execute("UPDATE " + items + " SET hits = 2"))
            .build();
    List<String> tablesBefore = tables();
    List<String> before = snapshot();

    DryRunReport report = runner(catalog).dryRun().migrate();

    assertEquals(tablesBefore, tables(), "no history, lock or other table created");
    assertEquals(before, snapshot());
    assertEquals(
        List.of(DryRunOutcome.WOULD_SUCCEED, DryRunOutcome.WOULD_SUCCEED), outcomes(report));
    assertEquals(6, report.rowsChanged());
    assertEquals(
        !lockIsATableRow(),
        report.runLockHeld(),
        "only a lock-table database runs unlocked, when it has no lock table");
  }

  @Test
  void batchesAndUnreadUpdateCountsOfRawJdbcAreCounted() {
    TestCatalog catalog =
        TestCatalog.builder()
            .add(
                1,
                h -> {
                  Connection connection = h.getConnection();
                  try (PreparedStatement insert =
                      connection.prepareStatement(
                          "INSERT INTO " + items + " (id, hits) VALUES (?, 0)")) {
                    for (long id = 10; id < 13; id++) {
                      insert.setLong(1, id);
                      insert.addBatch();
                    }
                    insert.executeBatch();
                  } catch (SQLException e) {
                    throw new IllegalStateException(e);
                  }
                  try (Statement statement = connection.createStatement()) {
                    // execute() and no getUpdateCount(): the count is read before close.
                    statement.execute("UPDATE " + items + " SET hits = 1 WHERE id < 3");
                  } catch (SQLException e) {
                    throw new IllegalStateException(e);
                  }
                })
            .build();
    List<String> before = snapshot();

    DryRunEntry entry = runner(catalog).dryRun().migrate().entries().get(0);

    assertEquals(before, snapshot());
    assertEquals(DryRunOutcome.WOULD_SUCCEED, entry.outcome());
    assertEquals(2, entry.statements().size());
    assertEquals(3, entry.statements().get(0).executions());
    assertEquals(List.of(OptionalLong.of(3), OptionalLong.of(2)), rows(entry));
    assertEquals(4, entry.statementCount());
    assertEquals(5, entry.rowsChanged());
  }

  @Test
  void identicalStatementsInARowAreOneLine() {
    TestCatalog catalog =
        TestCatalog.builder()
            .add(
                1,
                h -> {
                  for (int id = 1; id <= 5; id++) {
                    h.execute("UPDATE " + items + " SET hits = ? WHERE id = ?", id, id);
                  }
                  h.createQuery("SELECT COUNT(*) FROM " + items).mapTo(Long.class).one();
                })
            .build();

    DryRunEntry entry = runner(catalog).dryRun().migrate().entries().get(0);

    assertEquals(2, entry.statements().size());
    assertEquals(5, entry.statements().get(0).executions());
    assertEquals(OptionalLong.of(5), entry.statements().get(0).rowsChanged());
    assertEquals(OptionalLong.empty(), entry.statements().get(1).rowsChanged(), "a query");
    assertEquals(6, entry.statementCount());
  }

  // ---- down and rollback

  @Test
  void aDryRunOfDownAndRollbackRevertsNothingAndKeepsTheHistoryRow() {
    TestCatalog catalog =
        TestCatalog.builder()
            .addReversible(1, mark("one"), h -> h.execute("DELETE FROM " + marker))
            .addReversible(
                2,
                h -> h.execute("UPDATE " + items + " SET hits = 5"),
                h -> h.execute("UPDATE " + items + " SET hits = 0"))
            .build();
    MigrationRunner runner = runner(catalog);
    runner.migrate();
    List<String> before = snapshot();

    DryRunReport down = runner.dryRun().down(1);
    DryRunReport rollback = runner.dryRun().rollback(2);

    assertEquals(before, snapshot());
    assertEquals(Direction.DOWN, down.entries().get(0).direction());
    assertEquals(1, down.rowsChanged());
    assertEquals(
        List.of(2L, 1L), rollback.entries().stream().map(e -> e.migration().version()).toList());
    assertEquals(6, rollback.rowsChanged());
    assertEquals(
        2, runner.status().stream().filter(s -> s.state() == MigrationState.APPLIED).count());
  }

  // ---- the planner's refusals, as the real verbs

  @Test
  void theDryRunRefusesWhatTheRealVerbRefusesBeforeAnythingChanges() {
    TestCatalog catalog =
        TestCatalog.builder()
            .add(1, mark("one"))
            .addReversible(3, mark("three"), h -> {})
            .add(2, mark("two"))
            .build();
    runner(
            TestCatalog.builder()
                .add(1, mark("one"))
                .addReversible(3, mark("three"), h -> {})
                .build())
        .migrate();
    List<String> before = snapshot();
    MigrationRunner runner = runner(catalog);
    MigrationRunner refusing = configure(catalog).outOfOrder(OutOfOrderPolicy.REFUSE).build();

    assertThrows(UnknownMigrationVersionException.class, () -> runner.dryRun().up(99));
    assertThrows(MigrationNotAppliedException.class, () -> runner.dryRun().down(2));
    assertThrows(IrreversibleMigrationException.class, () -> runner.dryRun().down(1));
    assertThrows(IrreversibleMigrationException.class, () -> runner.dryRun().rollback(2));
    assertThrows(OutOfOrderMigrationException.class, () -> refusing.dryRun().migrate());
    assertThrows(IllegalArgumentException.class, () -> runner.dryRun().rollback(0));
    assertEquals(0, runner.dryRun().up(1).entries().size(), "applied: nothing to do");
    assertEquals(before, snapshot());
  }

  // ---- what cannot be dry-run

  @Test
  void aNonTransactionalMigrationIsNotRunAndTheNextOnesSayTheyRanWithoutIt() {
    TestCatalog catalog =
        TestCatalog.builder()
            .add(1, mark("one"))
            .add(2, "test.Loose", false, mark("loose"), null)
            .add(3, mark("three"))
            .build();
    List<String> before = snapshot();

    DryRunReport report = runner(catalog).dryRun().migrate();

    assertEquals(before, snapshot());
    assertEquals(
        List.of(
            DryRunOutcome.WOULD_SUCCEED,
            DryRunOutcome.NOT_DRY_RUNNABLE,
            DryRunOutcome.WOULD_SUCCEED),
        outcomes(report));
    DryRunEntry loose = report.entries().get(1);
    assertTrue(loose.reason().startsWith("transactional = false"), loose.reason());
    assertEquals(0, loose.statementCount());
    assertEquals(List.of(2L), report.entries().get(2).withoutEffectsOf());
    assertTrue(report.wouldSucceed());
    assertFalse(report.fullyDryRun());
  }

  @Test
  void aBackfillIsEstimatedInsteadOfRunAndItsTablesAreNotCreated() {
    BackfillCatalog catalog = new BackfillCatalog(items, marker, 0);
    List<String> tablesBefore = tables();
    List<String> before = snapshot();

    DryRunReport report =
        configure(catalog)
            .with(BackfillSettings.builder().batchSize(2).build())
            .build()
            .dryRun()
            .migrate();

    assertEquals(tablesBefore, tables(), "no progress or batch table");
    assertEquals(before, snapshot());
    assertEquals(
        List.of(
            DryRunOutcome.WOULD_SUCCEED,
            DryRunOutcome.NOT_DRY_RUNNABLE,
            DryRunOutcome.WOULD_SUCCEED),
        outcomes(report));
    DryRunEntry fill = report.entries().get(1);
    assertEquals(new BackfillEstimate(5, 0, 2, 3), fill.estimate());
    assertTrue(fill.reason().contains("Estimated: 5 rows, 3 batches of 2 keys"), fill.reason());
    assertEquals(List.of(BackfillCatalog.FILL), report.entries().get(2).withoutEffectsOf());
  }

  @Test
  void ddlInATransactionalMigrationWouldFailWhereItCommitsImplicitlyAndRollsBackElsewhere() {
    String created = prefix + "_created";
    TestCatalog catalog =
        TestCatalog.builder()
            .add(
                1,
                mark("before ddl")
                    .andThen(h -> h.execute("CREATE TABLE " + created + " (id INT)"))
                    .andThen(h -> h.execute("INSERT INTO " + created + " (id) VALUES (1)")))
            .add(2, mark("two"))
            .build();
    List<String> before = snapshot();

    DryRunReport report = runner(catalog).dryRun().migrate();

    assertEquals(before, snapshot(), "no table created, no row left");
    DryRunEntry entry = report.entries().get(0);
    if (commitsDdlImplicitly()) {
      assertEquals(List.of(DryRunOutcome.WOULD_FAIL, DryRunOutcome.NOT_REACHED), outcomes(report));
      assertTrue(entry.reason().contains("CommitRefusedException"), entry.reason());
      assertTrue(entry.reason().contains("DDL (CREATE TABLE ...)"), entry.reason());
      assertEquals(1, entry.statementCount(), "the insert before it ran; the DDL never did");
    } else {
      assertEquals(
          List.of(DryRunOutcome.WOULD_SUCCEED, DryRunOutcome.WOULD_SUCCEED), outcomes(report));
      assertEquals(3, entry.statementCount());
    }
  }

  // ---- failures

  @Test
  void aFailureStopsTheDryRunAsMigrateWouldAndPrintsNoSecret() {
    TestCatalog catalog =
        TestCatalog.builder()
            .add(1, mark("one"))
            .add(2, h -> h.execute("INSERT INTO " + items + " (id, hits) VALUES (?, ?)", 1, 424242))
            .add(
                3,
                h -> {
                  throw new IllegalStateException("cannot reach jdbc:x://h/db?password=hunter22");
                })
            .build();
    List<String> before = snapshot();

    DryRunReport report = runner(catalog).dryRun().migrate();

    assertEquals(before, snapshot());
    assertEquals(
        List.of(DryRunOutcome.WOULD_SUCCEED, DryRunOutcome.WOULD_FAIL, DryRunOutcome.NOT_REACHED),
        outcomes(report));
    DryRunEntry failed = report.stoppedAt().orElseThrow();
    assertEquals(2, failed.migration().version());
    assertFalse(failed.reason().contains("424242"), "no bound value: " + failed.reason());
    assertTrue(failed.reason().startsWith("failed while migrating up: "), failed.reason());
    assertFalse(report.wouldSucceed());

    DryRunEntry thrown =
        runner(
                TestCatalog.builder()
                    .add(
                        3,
                        h -> {
                          throw new IllegalStateException(
                              "cannot reach jdbc:x://h/db?password=hunter22");
                        })
                    .build())
            .dryRun()
            .migrate()
            .entries()
            .get(0);
    assertFalse(thrown.reason().contains("hunter22"), thrown.reason());
    assertTrue(thrown.reason().contains("password=***"), thrown.reason());
  }

  @Test
  void aSecretInTheSqlTextIsMaskedAndLongTextsAreCut() {
    String users = prefix + "_users";
    keeper.execute("CREATE TABLE " + users + " (password VARCHAR(100))");
    String longList = "1" + ", 1".repeat(300);
    TestCatalog catalog =
        TestCatalog.builder()
            .add(
                1,
                h -> {
                  h.execute("UPDATE " + users + " SET password = 'hunter22'");
                  h.execute("UPDATE " + items + " SET hits = 1 WHERE hits IN (" + longList + ")");
                })
            .build();

    DryRunEntry entry = runner(catalog).dryRun().migrate().entries().get(0);

    assertFalse(
        entry.statements().get(0).sql().contains("hunter22"), entry.statements().toString());
    String cut = entry.statements().get(1).sql();
    assertEquals(DryRunStatement.MAX_SQL_LENGTH, cut.length());
    assertTrue(cut.endsWith("..."), cut);
  }

  // ---- the lock

  @Test
  void aRealRunWaitsForTheDryRunsLock() throws Exception {
    runner(TestCatalog.builder().add(1, mark("one")).build()).migrate(); // lock table, on H2
    CountDownLatch inside = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    TestCatalog catalog =
        TestCatalog.builder()
            .add(1, mark("one"))
            .add(
                2,
                h -> {
                  inside.countDown();
                  try {
                    release.await(30, TimeUnit.SECONDS);
                  } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                  }
                })
            .build();
    CompletableFuture<DryRunReport> dryRun =
        CompletableFuture.supplyAsync(() -> runner(catalog).dryRun().migrate());
    try {
      assertTrue(inside.await(30, TimeUnit.SECONDS), "the dry run reached migration 2");
      MigrationRunner real = configure(catalog).lockTimeout(Duration.ofMillis(500)).build();
      assertThrows(MigrationLockException.class, real::migrate);
    } finally {
      release.countDown();
    }
    assertTrue(dryRun.get(30, TimeUnit.SECONDS).wouldSucceed());
    assertEquals(
        List.of(2L),
        runner(catalog).pending().stream().map(MigrationDescriptor::version).toList(),
        "the real run applied nothing, and neither did the dry run");
  }

  // ---- adversarial review (issue 14)

  /** A JDBC step that may throw. */
  interface JdbcStep {
    void run(Connection connection) throws SQLException;
  }

  static Consumer<Handle> jdbc(JdbcStep step) {
    return h -> {
      try {
        step.run(h.getConnection());
      } catch (SQLException e) {
        throw new IllegalStateException(e);
      }
    };
  }

  @Test
  void aCommitThroughTheDriversOwnConnectionIsRefusedAndChangesNothing() {
    List<JdbcStep> commits =
        List.of(
            c -> {
              try (Statement s = c.createStatement()) {
                s.getConnection().commit();
              }
            },
            c -> {
              try (PreparedStatement s = c.prepareStatement("SELECT 1")) {
                s.getConnection().commit();
              }
            },
            c -> c.getMetaData().getConnection().commit(),
            c -> c.unwrap(Connection.class).commit(),
            c -> {
              try (Statement s = c.createStatement()) {
                s.getConnection().setAutoCommit(true);
              }
            });
    for (int i = 0; i < commits.size(); i++) {
      JdbcStep commit = commits.get(i);
      List<String> before = snapshot();
      TestCatalog catalog =
          TestCatalog.builder()
              .add(
                  1,
                  h -> {
                    h.execute("UPDATE " + items + " SET hits = 99");
                    jdbc(commit).accept(h);
                  })
              .build();

      DryRunEntry entry = runner(catalog).dryRun().migrate().entries().get(0);

      assertEquals(before, snapshot(), "commit path " + i + " changed nothing");
      assertEquals(DryRunOutcome.WOULD_FAIL, entry.outcome(), "commit path " + i);
      assertTrue(entry.reason().contains("CommitRefusedException"), entry.reason());
    }
  }

  /** Whether one JDBC string may hold several statements on this test's connection. */
  boolean runsSeveralStatementsInOneString() {
    return false;
  }

  @Test
  void everyStatementOfAMultiStatementStringIsCounted() {
    org.junit.jupiter.api.Assumptions.assumeTrue(runsSeveralStatementsInOneString());
    TestCatalog catalog =
        TestCatalog.builder()
            .add(
                1,
                h -> {
                  h.execute(
                      "UPDATE "
                          + items
                          + " SET hits = 1 WHERE id = 1; UPDATE "
                          + items
                          + " SET hits = 2 WHERE id >= 2");
                  jdbc(c -> {
                        try (Statement s = c.createStatement()) {
                          s.execute(
                              "UPDATE "
                                  + items
                                  + " SET hits = 3 WHERE id <= 2; DELETE FROM "
                                  + items
                                  + " WHERE id = 5");
                        }
                      })
                      .accept(h);
                })
            .build();
    List<String> before = snapshot();

    DryRunEntry entry = runner(catalog).dryRun().migrate().entries().get(0);

    assertEquals(before, snapshot());
    assertEquals(List.of(OptionalLong.of(5), OptionalLong.of(3)), rows(entry));
    assertEquals(8, entry.rowsChanged());
  }

  @Test
  void aStatementCutNextToAnEmojiKeepsWholeCharacters() {
    // The cut falls between the two halves of the surrogate pair.
    String filler = "x".repeat(DryRunStatement.MAX_SQL_LENGTH - 4 - "/* ".length());
    TestCatalog catalog =
        TestCatalog.builder()
            .add(
                1,
                h ->
                    h.execute("/* " + filler + "\uD83D\uDE00 */ UPDATE " + items + " SET hits = 1"))
            .build();

    String sql = runner(catalog).dryRun().migrate().entries().get(0).statements().get(0).sql();

    assertTrue(sql.endsWith("..."), sql);
    assertEquals(
        sql,
        new String(
            sql.getBytes(java.nio.charset.StandardCharsets.UTF_8),
            java.nio.charset.StandardCharsets.UTF_8),
        "no half of a surrogate pair");
  }
}
