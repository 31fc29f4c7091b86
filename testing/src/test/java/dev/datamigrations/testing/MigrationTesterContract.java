package dev.datamigrations.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.datamigrations.runtime.backfill.BackfillState;
import dev.datamigrations.runtime.backfill.Batch;
import dev.datamigrations.testing.fixtures.AddTemporaryPlanWithBrokenDown;
import dev.datamigrations.testing.fixtures.BackfillNormalizedEmails;
import dev.datamigrations.testing.fixtures.BackfillVisitsOffByOne;
import dev.datamigrations.testing.fixtures.CapitalizePlanNames;
import dev.datamigrations.testing.fixtures.CountVisits;
import dev.datamigrations.testing.fixtures.DeleteTestAccounts;
import dev.datamigrations.testing.fixtures.FailingUp;
import dev.datamigrations.testing.fixtures.FillFullName;
import dev.datamigrations.testing.fixtures.MigrationRegistry;
import dev.datamigrations.testing.fixtures.SeedPlans;
import dev.datamigrations.testing.fixtures.ShopSchema;
import java.util.List;
import org.jdbi.v3.core.Handle;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What the kit promises, on every database: its assertions pass for correct migrations and FAIL,
 * naming the phase, for broken ones (a kit whose assertions cannot fail is worthless); refusals
 * come before anything runs.
 */
abstract class MigrationTesterContract {
  private static final long[] CUSTOMER_KEYS = {-5, 1, 2, 3, 10, 1000};

  MigrationTester tester;

  /**
   * Returns the builder of a tester on this contract's database, before the fixtures' schema is
   * set.
   */
  abstract MigrationTester.Builder configure();

  @BeforeEach
  void buildTester() {
    tester = configure().schemaSetup(new ShopSchema()).build();
  }

  @AfterEach
  void closeTester() {
    if (tester != null) {
      tester.close();
    }
  }

  private void seedCustomers(Handle handle) {
    for (long id : CUSTOMER_KEYS) {
      handle.execute(
          "INSERT INTO customers (id, first_name, last_name, email) VALUES (?, ?, ?, ?)",
          id,
          "First" + id,
          "Last" + id,
          " User" + id + "@Example.COM ");
    }
  }

  private static String fullName(Handle handle, long id) {
    return handle
        .select("SELECT full_name FROM customers WHERE id = ?", id)
        .mapTo(String.class)
        .one();
  }

  private static int count(Handle handle, String sql) {
    return handle.select(sql).mapTo(Integer.class).one();
  }

  @Test
  void assertReversiblePassesWhenDownRestoresWhatTheBeforeCheckSees() {
    tester.migrateBefore(FillFullName.VERSION).seed(this::seedCustomers);

    tester.assertReversible(
        FillFullName.VERSION,
        handle -> assertNull(fullName(handle, 1)),
        handle -> assertEquals("First1 Last1", fullName(handle, 1)));

    assertFalse(tester.isApplied(FillFullName.VERSION));
    assertTrue(tester.isApplied(SeedPlans.VERSION));
  }

  @Test
  void assertReversibleWithoutChecksComparesEveryTable() {
    tester.migrateBefore(FillFullName.VERSION).seed(this::seedCustomers);

    tester.assertReversible(FillFullName.VERSION);
    tester.assertReversible(BackfillNormalizedEmails.VERSION);
  }

  @Test
  void aDownThatDoesNotRestoreTheDataFailsInPhaseBeforeAgain() {
    tester.migrateBefore(CapitalizePlanNames.VERSION);

    MigrationAssertionError error =
        assertThrows(
            MigrationAssertionError.class,
            () ->
                tester.assertReversible(
                    CapitalizePlanNames.VERSION,
                    handle -> assertEquals(List.of("Free", "Team"), planNames(handle)),
                    handle -> assertEquals(List.of("FREE", "TEAM"), planNames(handle))));

    assertEquals(Phase.BEFORE_AGAIN, error.phase());
    assertEquals(CapitalizePlanNames.VERSION, error.migration().version());
    assertTrue(
        error
            .getMessage()
            .startsWith(
                "assertReversible failed for data migration 6 (Capitalize plan names,"
                    + " dev.datamigrations.testing.fixtures.CapitalizePlanNames) in phase before again: the \"before\""
                    + " check, run again after down: expected: <[Free, Team]> but was: <[free, team]>"),
        error.getMessage());
  }

  @Test
  void aDownThatDoesNotRestoreTheDataFailsTheTableComparisonNamingTheRows() {
    tester.migrateBefore(CapitalizePlanNames.VERSION);

    MigrationAssertionError error =
        assertThrows(
            MigrationAssertionError.class,
            () -> tester.assertReversible(CapitalizePlanNames.VERSION));

    assertEquals(Phase.BEFORE_AGAIN, error.phase());
    String message = error.getMessage();
    assertTrue(
        message.contains("down did not restore the tables as they were before up:"), message);
    assertTrue(message.contains("plans: row no longer there: (code=free, name=Free)"), message);
    assertTrue(message.contains("plans: row not there before: (code=free, name=free)"), message);
  }

  private static List<String> planNames(Handle handle) {
    return handle.select("SELECT name FROM plans ORDER BY code").mapTo(String.class).list();
  }

  @Test
  void eachPhaseThatFailsIsNamed() {
    tester.migrateBefore(FillFullName.VERSION).seed(this::seedCustomers);
    MigrationAssertionError before =
        assertThrows(
            MigrationAssertionError.class,
            () ->
                tester.assertReversible(
                    FillFullName.VERSION,
                    handle -> assertEquals("x", fullName(handle, 1)),
                    handle -> {}));
    assertEquals(Phase.BEFORE, before.phase());
    assertFalse(tester.isApplied(FillFullName.VERSION), "a failed before check stops before up");

    MigrationAssertionError after =
        assertThrows(
            MigrationAssertionError.class,
            () ->
                tester.assertReversible(
                    FillFullName.VERSION, handle -> {}, handle -> assertNull(fullName(handle, 1))));
    assertEquals(Phase.AFTER, after.phase());
    assertTrue(
        after
            .getMessage()
            .contains(
                "in phase after: the \"after\" check, after up ran: expected: <null> but was: <First1 Last1>"),
        after.getMessage());
  }

  @Test
  void aDownThatThrowsFailsInPhaseDown() {
    MigrationAssertionError error =
        assertThrows(
            MigrationAssertionError.class,
            () -> tester.assertReversible(AddTemporaryPlanWithBrokenDown.VERSION));

    assertEquals(Phase.DOWN, error.phase());
    assertTrue(error.getMessage().contains("this down is broken on purpose"), error.getMessage());
  }

  @Test
  void anUpThatThrowsFailsInPhaseUp() {
    MigrationAssertionError error =
        assertThrows(
            MigrationAssertionError.class,
            () -> tester.assertReversible(FailingUp.VERSION, handle -> {}, handle -> {}));

    assertEquals(Phase.UP, error.phase());
    assertTrue(
        error
            .getMessage()
            .contains("in phase up: the migration's up: Data migration 9 (Failing up"),
        error.getMessage());
  }

  @Test
  void anIrreversibleMigrationIsRefusedBeforeAnythingRuns() {
    MigrationTestException refused =
        assertThrows(
            MigrationTestException.class,
            () -> tester.assertReversible(DeleteTestAccounts.VERSION));

    assertTrue(
        refused
            .getMessage()
            .startsWith(
                "assertReversible cannot test data migration 3 (Delete test accounts,"
                    + " dev.datamigrations.testing.fixtures.DeleteTestAccounts): it is irreversible"),
        refused.getMessage());
    assertFalse(tester.isApplied(SeedPlans.VERSION), "nothing ran");
  }

  @Test
  void anUnknownOrAppliedVersionIsRefused() {
    MigrationTestException unknown =
        assertThrows(MigrationTestException.class, () -> tester.assertReversible(42));
    assertTrue(
        unknown
            .getMessage()
            .contains(
                "No data migration has version 42 in "
                    + MigrationRegistry.class.getName()
                    + "; its versions are [1, 2, 3, 4, 5, 6, 7, 8, 9]."),
        unknown.getMessage());

    tester.migrateTo(FillFullName.VERSION);
    MigrationTestException applied =
        assertThrows(
            MigrationTestException.class, () -> tester.assertIdempotent(FillFullName.VERSION));
    assertTrue(
        applied.getMessage().contains("it is already APPLIED in this database"),
        applied.getMessage());
  }

  @Test
  void assertIdempotentPassesForMigrationsThatCanRunAgain() {
    tester.migrateBefore(FillFullName.VERSION).seed(this::seedCustomers);

    tester.assertIdempotent(FillFullName.VERSION, "customers");
    tester.assertIdempotent(BackfillNormalizedEmails.VERSION);
    tester.useHandle(
        handle ->
            assertEquals(
                CUSTOMER_KEYS.length,
                count(
                    handle,
                    "SELECT COUNT(*) FROM customers WHERE email_normalized = LOWER(TRIM(email))")));
  }

  @Test
  void assertIdempotentFailsForAMigrationThatCountsTwice() {
    tester.migrateBefore(CountVisits.VERSION).seed(this::seedCustomers);

    MigrationAssertionError error =
        assertThrows(
            MigrationAssertionError.class,
            () -> tester.assertIdempotent(CountVisits.VERSION, "customers"));

    assertEquals(Phase.SAME_RESULT, error.phase());
    assertTrue(
        error.getMessage().contains("running it a second time changed the data:"),
        error.getMessage());
    assertTrue(error.getMessage().contains("visits=2"), error.getMessage());
  }

  @Test
  void assertIdempotentFailsForABackfillThatCountsTwice() {
    tester.migrateBefore(BackfillVisitsOffByOne.VERSION).seed(this::seedCustomers);

    MigrationAssertionError error =
        assertThrows(
            MigrationAssertionError.class,
            () -> tester.assertIdempotent(BackfillVisitsOffByOne.VERSION));

    assertEquals(Phase.SAME_RESULT, error.phase());
  }

  @Test
  void aBackfillInBatchesOfOneVisitsEveryKeyOnceAndEachBatchIsSeenAlone() {
    tester.migrateBefore(BackfillNormalizedEmails.VERSION).seed(this::seedCustomers);

    BackfillRun run =
        tester.runBackfill(
            BackfillNormalizedEmails.VERSION,
            1,
            (handle, batch) ->
                assertEquals(
                    batch.number(),
                    count(
                        handle,
                        "SELECT COUNT(*) FROM customers WHERE email_normalized IS NOT NULL")));

    assertEquals(CUSTOMER_KEYS.length, run.batches().size());
    for (int i = 0; i < CUSTOMER_KEYS.length; i++) {
      Batch batch = run.batches().get(i);
      assertEquals(CUSTOMER_KEYS[i], batch.first());
      assertEquals(CUSTOMER_KEYS[i], batch.last());
    }
    assertEquals(BackfillState.DONE, run.progress().state());
    assertEquals(CUSTOMER_KEYS.length, run.progress().rowsDone());
    assertTrue(tester.isApplied(BackfillNormalizedEmails.VERSION));
  }

  @Test
  void aBackfillInBatchesOfFourHasTwoBatches() {
    tester.migrateBefore(BackfillNormalizedEmails.VERSION).seed(this::seedCustomers);

    BackfillRun run = tester.runBackfill(BackfillNormalizedEmails.VERSION, 4);

    assertEquals(List.of(new Batch(1, -5, 3, 4), new Batch(2, 10, 1000, 2)), run.batches());
    assertEquals(6, run.keys());
  }

  @Test
  void anOffByOneBackfillFailsTheBatchCheckNamingTheBatch() {
    tester.migrateBefore(BackfillVisitsOffByOne.VERSION).seed(this::seedCustomers);

    MigrationAssertionError error =
        assertThrows(
            MigrationAssertionError.class,
            () ->
                tester.runBackfill(
                    BackfillVisitsOffByOne.VERSION,
                    1,
                    (handle, batch) ->
                        assertEquals(
                            1,
                            count(
                                handle, "SELECT visits FROM customers WHERE id = " + batch.first()),
                            "visits of customer " + batch.first())));

    assertEquals(Phase.BATCH, error.phase());
    assertTrue(
        error
            .getMessage()
            .contains(
                "in phase batch: the check after one batch, in that batch's transaction: after batch"
                    + " Batch[number=1, first=-5, last=-5, size=1]: visits of customer -5 ==> expected: <1> but was: <0>"),
        error.getMessage());
    assertFalse(tester.isApplied(BackfillVisitsOffByOne.VERSION));
  }

  @Test
  void runBackfillRefusesAPlainMigration() {
    MigrationTestException refused =
        assertThrows(
            MigrationTestException.class, () -> tester.runBackfill(FillFullName.VERSION, 1));
    assertTrue(
        refused.getMessage().contains("it is not a Backfill. Use up(version)."),
        refused.getMessage());
  }

  @Test
  void twoTestersDoNotSeeEachOthersData() {
    tester.migrateTo(SeedPlans.VERSION);
    try (MigrationTester other = configure().schemaSetup(new ShopSchema()).build()) {
      assertEquals(
          0, (int) other.withHandle(handle -> count(handle, "SELECT COUNT(*) FROM plans")));
      assertFalse(other.isApplied(SeedPlans.VERSION));
      other.migrateTo(SeedPlans.VERSION);
    }
    tester.useHandle(handle -> assertEquals(2, count(handle, "SELECT COUNT(*) FROM plans")));
  }
}
