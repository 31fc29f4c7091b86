package dev.datamigrations.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.datamigrations.runtime.backfill.BackfillFailedException;
import dev.datamigrations.runtime.backfill.BackfillState;
import dev.datamigrations.runtime.backfill.Batch;
import dev.datamigrations.testing.fixtures.ShopSchema;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.jdbi.v3.core.Handle;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code runBackfill} runs every shape of backfill through the real runner: a {@code QueryBackfill}
 * batch by batch with its check, a {@code CsvBackfill} over a file or its text; a backfill that
 * ends {@code FAILED} fails the assertion with the errors it recorded, its own exception as the
 * cause. On every database.
 */
abstract class BackfillShapesContract {
  private static final long[] CUSTOMER_KEYS = {-5, 1, 2, 3, 10, 1000};
  private static final String PLANS = "code,name\nFREE,Free\nPRO,\"Pro, yearly\"\nTEAM,Team\n";

  MigrationTester tester;

  /** Returns the builder of a tester on this contract's database. */
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

  private static int count(Handle handle, String sql) {
    return handle.select(sql).mapTo(Integer.class).one();
  }

  private List<String> plans() {
    return tester.withHandle(
        h -> h.createQuery("SELECT code FROM plans ORDER BY code").mapTo(String.class).list());
  }

  @Test
  void aQueryBackfillRunsInBatchesOfItsQueryEachCheckedInItsTransaction() {
    tester.seed(this::seedCustomers);

    BackfillRun run =
        tester.runBackfill(
            BackfillShapesCatalog.NORMALIZE_BY_QUERY,
            2,
            (handle, batch) ->
                assertEquals(
                    Math.min(5, 2 * batch.number()),
                    count(
                        handle,
                        "SELECT COUNT(*) FROM customers WHERE email_normalized IS NOT NULL")));

    assertEquals(
        List.of(new Batch(1, 1, 2, 2), new Batch(2, 3, 10, 2), new Batch(3, 1000, 1000, 1)),
        run.batches());
    assertEquals(5, run.keys());
    assertEquals(BackfillState.DONE, run.progress().state());
    tester.useHandle(
        h ->
            assertEquals(
                0,
                count(
                    h,
                    "SELECT COUNT(*) FROM customers WHERE id < 0 AND email_normalized IS NOT NULL")));
    assertTrue(tester.isApplied(BackfillShapesCatalog.NORMALIZE_BY_QUERY));
  }

  @Test
  void aCsvBackfillRunsOverItsTextInBatchesOfRows() {
    BackfillRun run =
        tester.runBackfill(
            BackfillShapesCatalog.IMPORT_PLANS,
            2,
            CsvInput.text(PLANS),
            (handle, batch) ->
                assertEquals(
                    batch.lastRow(), count(handle, "SELECT COUNT(*) FROM plans"), "plans so far"));

    assertEquals(List.of("FREE", "PRO", "TEAM"), plans());
    assertEquals(
        List.of(List.of(1L, 2L), List.of(3L, 3L)),
        run.csvBatches().stream().map(b -> List.of(b.firstRow(), b.lastRow())).toList());
    assertEquals("Pro, yearly", run.csvBatches().get(0).rows().get(1).get("name"));
    assertEquals(3, run.keys());
    assertEquals(List.of(), run.batches());
    assertEquals(BackfillState.DONE, run.progress().state());
  }

  @Test
  void aCsvBackfillRunsOverAFile(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("plans.csv");
    Files.writeString(file, PLANS, StandardCharsets.UTF_8);

    BackfillRun run =
        tester.runBackfill(BackfillShapesCatalog.IMPORT_PLANS, 10, CsvInput.file(file));

    assertEquals(List.of("FREE", "PRO", "TEAM"), plans());
    assertEquals(1, run.csvBatches().size());
    assertTrue(tester.isApplied(BackfillShapesCatalog.IMPORT_PLANS));
  }

  @Test
  void aFailedBackfillFailsTheAssertionWithItsRecordedErrorsAndItsOwnExceptionAsCause() {
    // Row 4 repeats PRO: the second batch's insert violates the primary key.
    String duplicate = PLANS + "PRO,Pro again\n";

    MigrationAssertionError error =
        assertThrows(
            MigrationAssertionError.class,
            () ->
                tester.runBackfill(
                    BackfillShapesCatalog.IMPORT_PLANS, 2, CsvInput.text(duplicate)));

    assertEquals(Phase.UP, error.phase());
    String message = error.getMessage();
    assertTrue(
        message.contains(
            "in phase up: the migration's up: the backfill is FAILED at 50.0% (2 of 4 rows"),
        message);
    assertTrue(
        message.contains(
            "Its recorded errors, newest first:\n  batch 2 (keys 3 to 4), attempt 1: "),
        message);
    assertTrue(message.contains("; its last attempt (1 of 1): the backfill failed"), message);
    assertTrue(message.contains("The first one's stack trace, as recorded:\n"), message);
    // The cause is what process threw (the runner keeps only its text), the runner's exception in
    // it.
    assertNotNull(error.getCause());
    assertFalse(error.getCause() instanceof BackfillFailedException, error.getCause().toString());
    assertTrue(
        Arrays.stream(error.getCause().getSuppressed())
            .anyMatch(BackfillFailedException.class::isInstance));
    // The first batch committed; the failed one left nothing.
    assertEquals(List.of("FREE", "PRO"), plans());
    assertFalse(tester.isApplied(BackfillShapesCatalog.IMPORT_PLANS));
  }

  @Test
  void aCsvBackfillWithoutItsCsvOrAnotherBackfillWithOneIsRefusedBeforeAnythingRuns() {
    MigrationTestException noCsv =
        assertThrows(
            MigrationTestException.class,
            () -> tester.runBackfill(BackfillShapesCatalog.IMPORT_PLANS, 2));
    assertTrue(
        noCsv.getMessage().contains("it is a CsvBackfill and needs its CSV"), noCsv.getMessage());
    MigrationTestException notCsv =
        assertThrows(
            MigrationTestException.class,
            () ->
                tester.runBackfill(
                    BackfillShapesCatalog.NORMALIZE_BY_QUERY, 2, CsvInput.text(PLANS)));
    assertTrue(
        notCsv.getMessage().contains("it is a QueryBackfill, not a CsvBackfill"),
        notCsv.getMessage());
    assertEquals(List.of(), plans());
    assertFalse(tester.isApplied(BackfillShapesCatalog.NORMALIZE_BY_QUERY));
  }
}
