package dev.datamigrations.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Checksums, validate, accept-checksum, baseline, mark-applied, skip and unmark, and the in-place
 * upgrade of a history table of the first release, asserted on the database through the public API;
 * one subclass per database.
 */
abstract class HistoryVerbsContract {
  static final String A = "a".repeat(64);
  static final String B = "b".repeat(64);

  abstract TestDatabase database();

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
    String prefix = "dv" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
    history = prefix + "_hist";
    counter = prefix + "_counter";
    jdbi.useHandle(h -> h.execute("CREATE TABLE " + counter + " (version BIGINT NOT NULL)"));
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
              h.execute("DROP TABLE IF EXISTS " + db.quote(table));
            }
          });
    }
  }

  Consumer<Handle> count(long version) {
    return h -> h.execute("INSERT INTO " + counter + " (version) VALUES (?)", version);
  }

  /** Migrations 1, 2, 3 that count their runs; 1 with checksum {@code first}. */
  TestCatalog catalog(String first) {
    return TestCatalog.builder()
        .addReversible(1, count(1), h -> {})
        .addReversible(2, count(2), h -> {})
        .add(3, count(3))
        .checksum(1, first)
        .checksum(2, A)
        .build();
  }

  MigrationRunner.Builder configure(TestCatalog catalog) {
    return MigrationRunner.configure(jdbi, catalog)
        .table(history)
        .operator("alice")
        .lockTimeout(Duration.ofSeconds(60));
  }

  MigrationRunner runner(TestCatalog catalog) {
    return configure(catalog).build();
  }

  Map<Long, Integer> runs() {
    Map<Long, Integer> runs = new TreeMap<>();
    jdbi.useHandle(
        h ->
            h.createQuery("SELECT version FROM " + counter)
                .mapTo(Long.class)
                .forEach(v -> runs.merge(v, 1, Integer::sum)));
    return runs;
  }

  Map<Long, MigrationState> states(MigrationRunner runner) {
    Map<Long, MigrationState> states = new TreeMap<>();
    runner.status().forEach(s -> states.put(s.version(), s.state()));
    return states;
  }

  /** Returns a history row's applied_as, checksum, reason and audit, as stored. */
  Map<String, Object> row(long version) {
    return jdbi.withHandle(
        h ->
            h.createQuery(
                    "SELECT applied_as, checksum, reason, audit, applied_by FROM "
                        + db.quote(history)
                        + " WHERE version = "
                        + version)
                .mapToMap()
                .findOne()
                .map(
                    m -> {
                      Map<String, Object> lower = new TreeMap<>();
                      m.forEach((k, v) -> lower.put(k.toLowerCase(Locale.ROOT), v));
                      return lower;
                    })
                .orElse(null));
  }

  long rows() {
    return jdbi.withHandle(
        h -> h.createQuery("SELECT COUNT(*) FROM " + db.quote(history)).mapTo(Long.class).one());
  }

  // ---- checksums

  @Test
  void theChecksumIsStoredWithTheRowAndAChangedOneShowsAsChanged() {
    runner(catalog(A)).migrate();
    assertEquals(A, row(1).get("checksum"));
    assertEquals("RUN", row(1).get("applied_as"));
    assertNull(row(3).get("checksum")); // no checksum in the registry: none stored

    MigrationRunner changed = runner(catalog(B));
    assertEquals(
        Map.of(1L, MigrationState.CHANGED, 2L, MigrationState.APPLIED, 3L, MigrationState.APPLIED),
        states(changed));
    MigrationStatus one = changed.status().get(0);
    assertEquals(B, one.checksum());
    assertEquals(A, one.appliedChecksum());
    assertEquals(AppliedAs.RUN, one.appliedAs());
  }

  @Test
  void validateNamesEachChangedMigrationAndValidateOnMigrateRefusesBeforeAnythingRuns() {
    runner(TestCatalog.builder().addReversible(1, count(1), h -> {}).checksum(1, A).build())
        .migrate();
    MigrationRunner changed = configure(catalog(B)).validateOnMigrate(true).build();

    List<ChangedMigration> findings = changed.validate();
    assertEquals(1, findings.size());
    assertEquals(1, findings.get(0).migration().version());
    assertEquals(A, findings.get(0).appliedChecksum());
    assertEquals(B, findings.get(0).checksum());
    ChangedMigrationsException refused =
        assertThrows(ChangedMigrationsException.class, changed::assertValid);
    assertTrue(refused.getMessage().contains("1 (Migration 1, test.M1)"), refused.getMessage());
    assertTrue(refused.getMessage().contains("Nothing was changed."), refused.getMessage());

    assertThrows(ChangedMigrationsException.class, changed::migrate);
    assertEquals(Map.of(1L, 1), runs()); // 2 and 3 did not run
    assertTrue(runner(catalog(A)).validate().isEmpty());
  }

  @Test
  void acceptChecksumRecordsTheNewOneAndKeepsTheOldInTheAudit() {
    runner(catalog(A)).migrate();
    MigrationRunner changed = runner(catalog(B));

    assertThrows(HistoryEditRefusedException.class, () -> changed.acceptChecksum(1, " "));
    assertEquals(A, row(1).get("checksum"));
    assertTrue(changed.acceptChecksum(1, "JIRA-9: reformatted the SQL"));

    assertEquals(MigrationState.APPLIED, states(changed).get(1L));
    assertTrue(changed.validate().isEmpty());
    Map<String, Object> row = row(1);
    assertEquals(B, row.get("checksum"));
    String audit = (String) row.get("audit");
    assertTrue(audit.contains("accepted checksum " + B + " in place of " + A), audit);
    assertTrue(audit.contains("alice"), audit);
    assertTrue(audit.contains("JIRA-9: reformatted the SQL"), audit);
    assertEquals(audit, changed.status().get(0).audit());
    assertFalse(changed.acceptChecksum(1, "again")); // nothing to accept
    assertEquals(audit, row(1).get("audit"));

    assertThrows(UnknownMigrationVersionException.class, () -> changed.acceptChecksum(99, "x"));
    changed.down(2);
    assertThrows(MigrationNotAppliedException.class, () -> changed.acceptChecksum(2, "x"));
    assertEquals(Map.of(1L, 1, 2L, 1, 3L, 1), runs()); // nothing ran again
  }

  @Test
  void aLongReasonIsCutToFitAndTheAuditKeepsWhoAndWhichChecksumsOfEachAcceptance() {
    runner(catalog(A)).migrate();
    String longReason = "JIRA-9 " + "x".repeat(5000);
    assertTrue(runner(catalog(B)).acceptChecksum(1, longReason));
    String audit = (String) row(1).get("audit");
    assertTrue(audit.length() <= 4000, "audit of " + audit.length() + " characters");
    assertTrue(audit.contains("accepted checksum " + B + " in place of " + A), head(audit));
    assertTrue(audit.contains("alice"), head(audit));
    assertTrue(audit.contains("JIRA-9"), head(audit));

    // Acceptances until the audit overflows: the oldest whole entries go, every kept one is whole.
    for (int i = 0; i < 4; i++) {
      assertTrue(runner(catalog(i % 2 == 0 ? A : B)).acceptChecksum(1, longReason));
    }
    audit = (String) row(1).get("audit");
    assertTrue(audit.length() <= 4000, "audit of " + audit.length() + " characters");
    for (String entry : audit.split("\n")) {
      assertTrue(
          entry.equals("...") || entry.contains(": accepted checksum ") && entry.contains("alice"),
          head(entry));
    }
    assertTrue(audit.endsWith("xxx..."), head(audit)); // the newest entry is kept

    MigrationRunner runner = runner(catalog(A));
    runner.down(2);
    runner.skip(2, longReason);
    String reason = (String) row(2).get("reason");
    assertTrue(reason.length() <= 4000 && reason.startsWith("JIRA-9 xxx"), head(reason));
    assertEquals(AppliedAs.SKIPPED, runner.status().get(1).appliedAs());
  }

  @Test
  void acceptChecksumRefusesAMigrationWhoseRegistryHasNoChecksum() {
    MigrationRunner runner = runner(catalog(A));
    runner.migrate();
    HistoryEditRefusedException refused =
        assertThrows(HistoryEditRefusedException.class, () -> runner.acceptChecksum(3, "JIRA-3"));
    assertTrue(refused.getMessage().contains("no checksum"), refused.getMessage());
    assertTrue(refused.getMessage().endsWith("Nothing was changed."), refused.getMessage());
    assertNull(row(3).get("checksum"));
    assertNull(row(3).get("audit"));
  }

  @Test
  void aSecretInAReasonIsMaskedInTheHistory() {
    MigrationRunner runner = runner(catalog(A));
    runner.markApplied(2, "moved by hand with jdbc:postgresql://app:hunter22@db/orders, OPS-7");
    String reason = (String) row(2).get("reason");
    assertFalse(reason.contains("hunter22"), reason);
    assertTrue(reason.contains("app:***@db/orders, OPS-7"), reason);
    assertFalse(runner.status().get(1).reason().contains("hunter22"));

    runner.up(1);
    assertTrue(runner(catalog(B)).acceptChecksum(1, "rotated, token=s3cr3t-value; JIRA-9"));
    String audit = (String) row(1).get("audit");
    assertFalse(audit.contains("s3cr3t-value"), audit);
    assertTrue(audit.contains("token=***"), audit);
  }

  /** The start of a long text, for an assertion's message. */
  static String head(String text) {
    return text.length() <= 300
        ? text
        : text.substring(0, 300) + "... (" + text.length() + " chars)";
  }

  // ---- baseline

  @Test
  void baselineMarksEveryVersionUpToItAndMigrateRunsOnlyTheRest() {
    MigrationRunner runner = runner(catalog(A));
    List<MigrationDescriptor> baselined = runner.baseline(2, "adopting the legacy database");

    assertEquals(List.of(1L, 2L), baselined.stream().map(MigrationDescriptor::version).toList());
    assertEquals(
        Map.of(
            1L, MigrationState.BASELINED, 2L, MigrationState.BASELINED, 3L, MigrationState.PENDING),
        states(runner));
    assertEquals("BASELINE", row(1).get("applied_as"));
    assertEquals(A, row(1).get("checksum"));
    assertEquals("adopting the legacy database", row(2).get("reason"));
    assertTrue(((String) row(2).get("applied_by")).startsWith("alice"));
    assertEquals(Map.of(), runs());

    runner.migrate();
    assertEquals(Map.of(3L, 1), runs());
  }

  @Test
  void baselineRefusesOverExistingHistoryAndUnknownVersionsUnlessForced() {
    MigrationRunner runner = runner(catalog(A));
    assertThrows(UnknownMigrationVersionException.class, () -> runner.baseline(5, null));
    assertThrows(HistoryEditRefusedException.class, () -> runner.baseline(5, null, true));
    assertEquals(0, runner.status().stream().filter(s -> s.state().inHistory()).count());

    assertEquals(2, runner.baseline(2, "between", true).size()); // forced: 2 is known anyway
    HistoryEditRefusedException again =
        assertThrows(HistoryEditRefusedException.class, () -> runner.baseline(3, null));
    assertTrue(again.getMessage().contains("already has 2 row(s)"), again.getMessage());
    assertEquals(2, rows());

    MigrationRunner fresh = runner(catalog(A));
    fresh.unmark(1);
    fresh.unmark(2);
    assertEquals(3, fresh.baseline(5, "everything the old tool ran", true).size());
  }

  // ---- mark-applied, skip, unmark

  @Test
  void markAppliedAndSkipRecordAReasonAndMigratePassesThem() {
    MigrationRunner runner = runner(catalog(A));
    runner.markApplied(1, "done by hand in JIRA-1");
    runner.skip(2, "not needed on this tenant");

    assertEquals(
        Map.of(1L, MigrationState.MARKED, 2L, MigrationState.SKIPPED, 3L, MigrationState.PENDING),
        states(runner));
    assertEquals("MARKED", row(1).get("applied_as"));
    assertEquals("done by hand in JIRA-1", row(1).get("reason"));
    assertEquals("SKIPPED", row(2).get("applied_as"));
    assertEquals(AppliedAs.SKIPPED, runner.status().get(1).appliedAs());

    runner.migrate();
    assertEquals(Map.of(3L, 1), runs());
    MigrationNotAppliedException down =
        assertThrows(MigrationNotAppliedException.class, () -> runner.down(2));
    assertTrue(down.getMessage().contains("skipped"), down.getMessage());
    assertEquals("SKIPPED", row(2).get("applied_as"));
  }

  @Test
  void marksRefuseWhenTheyWouldLie() {
    MigrationRunner runner = runner(catalog(A));
    runner.up(1);

    assertThrows(HistoryEditRefusedException.class, () -> runner.markApplied(2, null));
    assertThrows(HistoryEditRefusedException.class, () -> runner.skip(2, ""));
    HistoryEditRefusedException applied =
        assertThrows(HistoryEditRefusedException.class, () -> runner.markApplied(1, "why not"));
    assertTrue(applied.getMessage().contains("already has a history row"), applied.getMessage());
    assertThrows(HistoryEditRefusedException.class, () -> runner.skip(1, "why not"));
    UnknownMigrationVersionException unknown =
        assertThrows(UnknownMigrationVersionException.class, () -> runner.markApplied(7, "x"));
    assertTrue(unknown.getMessage().contains("force"), unknown.getMessage());
    assertEquals(1, rows());

    runner.markApplied(7, "applied by the old tool", true);
    MigrationStatus seven = runner.status().get(3);
    assertEquals(7, seven.version());
    assertEquals(MigrationState.REMOVED, seven.state());
    assertEquals(AppliedAs.MARKED, seven.appliedAs());
  }

  @Test
  void unmarkRemovesOnlyAManualMark() {
    MigrationRunner runner = runner(catalog(A));
    runner.up(1);
    runner.skip(2, "later");

    assertEquals(AppliedAs.SKIPPED, runner.unmark(2));
    assertEquals(MigrationState.PENDING, states(runner).get(2L));
    HistoryEditRefusedException ran =
        assertThrows(HistoryEditRefusedException.class, () -> runner.unmark(1));
    assertTrue(ran.getMessage().contains("down 1"), ran.getMessage());
    assertEquals("RUN", row(1).get("applied_as"));
    assertThrows(MigrationNotAppliedException.class, () -> runner.unmark(3));
    assertEquals(1, rows());
  }

  // ---- upgrade of a first-release table

  /** Today's (first release's) CREATE TABLE of the history table, per database: the fixture. */
  String firstReleaseDdl() {
    String timestamp =
        switch (db.toString()) {
          case "MariaDB" -> "DATETIME(3)";
          case "SQLite" -> "TEXT";
          default -> "TIMESTAMP";
        };
    return "CREATE TABLE "
        + history
        + " (version BIGINT NOT NULL PRIMARY KEY, description VARCHAR(1000) NOT NULL,"
        + " class_name VARCHAR(1000) NOT NULL, applied_at "
        + timestamp
        + " NOT NULL, execution_ms BIGINT NOT NULL, applied_by VARCHAR(1000) NOT NULL,"
        + " reason VARCHAR(4000))"
        + (db.toString().equals("MariaDB") ? " ENGINE=InnoDB DEFAULT CHARSET=utf8mb4" : "");
  }

  void createFirstReleaseTableWithVersionOne() {
    jdbi.useHandle(
        h -> {
          h.execute(firstReleaseDdl());
          h.execute(
              "INSERT INTO "
                  + history
                  + " (version, description, class_name, applied_at, execution_ms, applied_by,"
                  + " reason) VALUES (1, 'Migration 1', 'test.M1', '2024-01-02 03:04:05.000', 5,"
                  + " 'bob (db user app@ci)', 'JIRA-1')");
        });
  }

  Set<String> columns() throws java.sql.SQLException {
    return jdbi.<Set<String>, java.sql.SQLException>withHandle(
        h -> {
          Set<String> names = new TreeSet<>();
          try (var result =
              h.getConnection().createStatement().executeQuery("SELECT * FROM " + history)) {
            var meta = result.getMetaData();
            for (int i = 1; i <= meta.getColumnCount(); i++) {
              names.add(meta.getColumnName(i).toLowerCase(Locale.ROOT));
            }
          }
          return names;
        });
  }

  @Test
  void aFirstReleaseTableIsReadAsItIsAndUpgradedInPlaceWhenARunWritesToIt() throws Exception {
    createFirstReleaseTableWithVersionOne();
    MigrationRunner runner = runner(catalog(A));

    // Reads never change the table: status works on the old columns.
    MigrationStatus one = runner.status().get(0);
    assertEquals(MigrationState.APPLIED, one.state()); // no stored checksum: never CHANGED
    assertEquals(AppliedAs.RUN, one.appliedAs());
    assertNull(one.appliedChecksum());
    assertEquals("JIRA-1", one.reason());
    assertTrue(runner.validate().isEmpty());
    assertFalse(columns().contains("checksum"));

    runner.migrate();
    assertTrue(
        columns().containsAll(Set.of("checksum", "applied_as", "audit")), columns().toString());
    assertEquals(Map.of(2L, 1, 3L, 1), runs());
    assertEquals(A, row(2).get("checksum"));
    assertEquals("RUN", row(2).get("applied_as"));
    assertNull(row(1).get("checksum"));
    assertEquals(MigrationState.APPLIED, states(runner).get(1L));

    runner.migrate(); // the upgrade is idempotent
    assertTrue(runner.acceptChecksum(1, "start tracking the checksum of 1"));
    assertEquals(A, row(1).get("checksum"));
    assertTrue(((String) row(1).get("audit")).contains("none (applied before checksums)"));
  }

  @Test
  void aTableLeftHalfUpgradedIsReadAndItsUpgradeFinishedByTheNextRunThatWrites() throws Exception {
    // A run killed between two ALTERs: checksum added, applied_as and audit not.
    createFirstReleaseTableWithVersionOne();
    jdbi.useHandle(h -> h.execute("ALTER TABLE " + history + " ADD COLUMN checksum VARCHAR(64)"));
    MigrationRunner runner = configure(catalog(A)).validateOnMigrate(true).build();

    assertEquals(MigrationState.APPLIED, runner.status().get(0).state());
    assertTrue(runner.validate().isEmpty());
    assertFalse(columns().contains("applied_as"));

    runner.migrate();
    assertTrue(columns().containsAll(Set.of("checksum", "applied_as", "audit")));
    assertEquals(Map.of(2L, 1, 3L, 1), runs());
    assertEquals(A, row(2).get("checksum"));
    assertNull(row(1).get("checksum"));
    assertEquals(AppliedAs.RUN, runner.status().get(0).appliedAs()); // read whole now
    assertEquals(MigrationState.APPLIED, states(runner).get(1L));
  }

  @Test
  void aRowTheFirstReleaseWritesIntoAnUpgradedTableReadsAsRunWithoutAChecksum() {
    createFirstReleaseTableWithVersionOne();
    MigrationRunner runner = runner(catalog(A));
    runner.up(2); // upgrades the table
    // The first release's INSERT names its seven columns: the added ones stay NULL.
    jdbi.useHandle(
        h ->
            h.execute(
                "INSERT INTO "
                    + history
                    + " (version, description, class_name, applied_at, execution_ms, applied_by,"
                    + " reason) VALUES (3, 'Migration 3', 'test.M3', '2024-01-02 03:04:05.000', 5,"
                    + " 'bob (db user app@ci)', NULL)"));
    MigrationStatus three = runner.status().get(2);
    assertEquals(MigrationState.APPLIED, three.state());
    assertEquals(AppliedAs.RUN, three.appliedAs());
    assertNull(three.appliedChecksum());
    assertTrue(runner.validate().isEmpty());
    runner.migrate();
    assertEquals(Map.of(2L, 1), runs()); // 3 is not run again
    assertThrows(HistoryEditRefusedException.class, () -> runner.unmark(3)); // it ran: down
  }

  @Test
  void aFirstReleaseTableNamedWithItsSchemaIsUpgradedInPlace() throws Exception {
    createFirstReleaseTableWithVersionOne();
    String schema =
        jdbi.withHandle(
            h ->
                switch (db.toString()) {
                  case "MariaDB" -> h.createQuery("SELECT DATABASE()").mapTo(String.class).one();
                  case "SQLite" -> "main";
                  default -> h.getConnection().getSchema();
                });
    MigrationRunner runner = configure(catalog(A)).schema(schema).build();
    assertEquals(MigrationState.APPLIED, runner.status().get(0).state());

    runner.migrate();
    assertTrue(columns().containsAll(Set.of("checksum", "applied_as", "audit")));
    assertEquals(Map.of(2L, 1, 3L, 1), runs());
    runner.skip(99, "adopted by hand", true);
    assertEquals("SKIPPED", row(99).get("applied_as"));
    assertTrue(runner.acceptChecksum(1, "track 1"));
    assertEquals(A, row(1).get("checksum"));
  }

  @Test
  void theUpgradeWaitsForATransactionThatReadTheTableNoLongerThanTheLockTimeout() throws Exception {
    org.junit.jupiter.api.Assumptions.assumeTrue(
        Set.of("PostgreSQL", "MariaDB").contains(db.toString()),
        "only PostgreSQL and MariaDB make an ALTER TABLE wait for a reader's transaction");
    createFirstReleaseTableWithVersionOne();
    keeper.begin(); // a report left open after reading the history: it holds the table
    keeper.createQuery("SELECT COUNT(*) FROM " + history).mapTo(Long.class).one();
    MigrationRunner runner = configure(catalog(A)).lockTimeout(Duration.ofSeconds(2)).build();
    ExecutorService pool = Executors.newSingleThreadExecutor();
    try {
      Future<?> run = pool.submit(runner::migrate);
      java.util.concurrent.ExecutionException failed =
          assertThrows(
              java.util.concurrent.ExecutionException.class,
              () -> run.get(30, java.util.concurrent.TimeUnit.SECONDS));
      String message = failed.getCause().getMessage();
      assertTrue(message.contains("Could not add the column checksum"), message);
      assertTrue(message.contains("lock timeout"), message);
    } finally {
      keeper.rollback();
      pool.shutdownNow();
    }
    assertEquals(Map.of(), runs()); // nothing ran
    assertFalse(columns().contains("checksum"));

    runner.migrate(); // the reader is gone
    assertEquals(Map.of(2L, 1, 3L, 1), runs());
    assertTrue(columns().containsAll(Set.of("checksum", "applied_as", "audit")));
  }

  @Test
  void twoRunnersUpgradingAFirstReleaseTableAtOnceBothSucceed() throws Exception {
    createFirstReleaseTableWithVersionOne();
    CyclicBarrier start = new CyclicBarrier(2);
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      List<Future<?>> runs = new ArrayList<>();
      for (int i = 0; i < 2; i++) {
        runs.add(
            pool.submit(
                () -> {
                  start.await();
                  runner(catalog(A)).migrate();
                  return null;
                }));
      }
      for (Future<?> run : runs) {
        run.get();
      }
    } finally {
      pool.shutdownNow();
    }
    assertTrue(columns().containsAll(Set.of("checksum", "applied_as", "audit")));
    assertEquals(Map.of(2L, 1, 3L, 1), runs());
    assertEquals(3, rows());
  }
}
