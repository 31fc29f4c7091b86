package dev.datamigrations.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.datamigrations.runtime.backfill.BackfillCancelledException;
import dev.datamigrations.runtime.backfill.BackfillFailedException;
import dev.datamigrations.runtime.backfill.BackfillInputException;
import dev.datamigrations.runtime.backfill.BackfillProgress;
import dev.datamigrations.runtime.backfill.BackfillSettings;
import dev.datamigrations.runtime.backfill.BackfillState;
import dev.datamigrations.runtime.backfill.Backfills;
import dev.datamigrations.runtime.backfill.HealthCheck;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * CSV backfills on a real database: every row of the file processed exactly once, with its fields
 * exactly as written (RFC 4180 quoting), across a cancel and resume and across kill -9; a resume
 * with another file, no file, or a malformed file refused.
 */
abstract class CsvBackfillContract {

  abstract TestDatabase database();

  @TempDir Path dir;

  TestDatabase db;
  Jdbi jdbi;
  Handle keeper;
  String history;
  String target;

  @BeforeEach
  void open() {
    db = database();
    db.assumeReachable();
    jdbi = db.jdbi();
    keeper = jdbi.open();
    String prefix = "cv" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
    history = prefix + "_hist";
    target = prefix + "_rows";
    jdbi.useHandle(h -> h.execute(CsvRecorder.createTable(target)));
  }

  @AfterEach
  void drop() {
    if (keeper != null) {
      keeper.close();
    }
    if (jdbi != null) {
      jdbi.useHandle(
          h -> {
            for (String table :
                List.of(
                    target,
                    history,
                    history + "_lock",
                    history + "_progress",
                    history + "_batches")) {
              h.execute("DROP TABLE IF EXISTS " + table);
            }
          });
    }
  }

  MigrationRunner runner(CsvRecorder backfill, Path file, int batchSize, HealthCheck check) {
    BackfillSettings.Builder settings =
        BackfillSettings.builder().batchSize(batchSize).healthCheck(check);
    if (file != null) {
      settings.csvFile(OneBackfillCatalog.VERSION, file);
    }
    return MigrationRunner.configure(jdbi, new OneBackfillCatalog(backfill))
        .table(history)
        .with(settings.build())
        .build();
  }

  /** The rows a file holds: name and note of row i. */
  static List<String[]> rows(int count) {
    List<String[]> rows = new ArrayList<>();
    String[] tricky = {
      "plain",
      "with, comma",
      "with \"quotes\"",
      "line\nbreak",
      "crlf\r\ninside",
      "日本語 ü 😀",
      "",
      " spaced ",
      "'single'",
      "\"\"",
      "trailing quote\""
    };
    for (int i = 0; i < count; i++) {
      rows.add(
          new String[] {
            "name " + i + " " + tricky[i % tricky.length], tricky[(i * 7 + 3) % tricky.length]
          });
    }
    return rows;
  }

  /**
   * Writes rows as RFC 4180 CSV: a header, CRLF, every field quoted when it must be, some always.
   */
  static Path write(Path file, List<String[]> rows, boolean header) throws Exception {
    StringBuilder csv = new StringBuilder("\uFEFF");
    if (header) {
      csv.append("name,note\r\n");
    }
    for (int i = 0; i < rows.size(); i++) {
      String[] row = rows.get(i);
      csv.append(field(row[0], i % 2 == 0)).append(',').append(field(row[1], false));
      csv.append(i % 3 == 0 ? "\n" : "\r\n");
      if (i % 100 == 50) {
        csv.append("\r\n"); // a blank line, skipped
      }
    }
    Files.writeString(file, csv, StandardCharsets.UTF_8);
    return file;
  }

  private static String field(String value, boolean alwaysQuote) {
    boolean quote =
        alwaysQuote
            || value.isEmpty()
            || value.contains(",")
            || value.contains("\"")
            || value.contains("\n")
            || value.contains("\r");
    return quote ? "\"" + value.replace("\"", "\"\"") + "\"" : value;
  }

  /** Asserts that the target holds exactly the file's rows, each once, with its fields exact. */
  void assertEveryRowOnce(List<String[]> rows) {
    List<String> actual =
        jdbi.withHandle(
            h ->
                h.createQuery("SELECT row_no, name, note FROM " + target + " ORDER BY row_no")
                    .map((rs, ctx) -> rs.getLong(1) + "|" + rs.getString(2) + "|" + rs.getString(3))
                    .list());
    List<String> expected = new ArrayList<>();
    for (int i = 0; i < rows.size(); i++) {
      expected.add((i + 1) + "|" + rows.get(i)[0] + "|" + rows.get(i)[1]);
    }
    assertEquals(expected.size(), actual.size(), "one target row per CSV row");
    assertEquals(expected, actual);
  }

  @Test
  void everyRowOfTheFileIsProcessedOnceWithItsQuotedFieldsExact() throws Exception {
    List<String[]> rows = rows(1000);
    Path file = write(dir.resolve("rows.csv"), rows, true);
    MigrationRunner runner = runner(new CsvRecorder(target, true, 0), file, 37, HealthCheck.none());
    runner.migrate();
    assertEveryRowOnce(rows);
    BackfillProgress progress =
        Backfills.of(runner).progress(OneBackfillCatalog.VERSION).orElseThrow();
    assertEquals(BackfillState.DONE, progress.state());
    assertEquals(1000, progress.rowsDone());
    assertEquals(28, progress.batchesDone());
  }

  @Test
  void aFileWithoutAHeaderStartsAtItsFirstRecord() throws Exception {
    List<String[]> rows = rows(50);
    Path file = write(dir.resolve("plain.csv"), rows, false);
    runner(new CsvRecorder(target, false, 0), file, 7, HealthCheck.none()).migrate();
    assertEveryRowOnce(rows);
  }

  @Test
  void aResumeWithAnotherFileIsRefusedAndTheRightFileFinishesExactlyOnce() throws Exception {
    List<String[]> rows = rows(300);
    Path file = write(dir.resolve("start.csv"), rows, true);
    Path other = write(dir.resolve("other.csv"), rows(301), true);
    AtomicInteger checks = new AtomicInteger();
    MigrationRunner[] first = new MigrationRunner[1];
    HealthCheck cancelAfterFiveBatches =
        handle -> {
          if (checks.incrementAndGet() == 6) {
            Backfills.of(first[0]).cancel(OneBackfillCatalog.VERSION);
          }
          return HealthCheck.Status.HEALTHY;
        };
    first[0] = runner(new CsvRecorder(target, true, 0), file, 20, cancelAfterFiveBatches);
    assertThrows(BackfillCancelledException.class, first[0]::migrate);
    long doneBefore = Backfills.of(first[0]).resume(OneBackfillCatalog.VERSION).rowsDone();
    assertTrue(doneBefore > 0 && doneBefore < 300, "cancelled midway: " + doneBefore);

    MigrationRunner wrong = runner(new CsvRecorder(target, true, 0), other, 20, HealthCheck.none());
    BackfillInputException refused = assertThrows(BackfillInputException.class, wrong::migrate);
    String message = refused.getMessage();
    assertTrue(message.contains("started with the CSV file " + file), message);
    assertTrue(message.contains("was now given " + other), message);
    assertTrue(message.contains("Resume it with the file it started with"), message);
    assertEquals(
        doneBefore,
        Backfills.of(wrong).progress(OneBackfillCatalog.VERSION).orElseThrow().rowsDone(),
        "nothing ran with the other file");

    MigrationRunner missing =
        runner(new CsvRecorder(target, true, 0), null, 20, HealthCheck.none());
    assertTrue(
        assertThrows(BackfillInputException.class, missing::migrate)
            .getMessage()
            .contains("was given no CSV file"));

    MigrationRunner right = runner(new CsvRecorder(target, true, 0), file, 20, HealthCheck.none());
    right.migrate();
    assertEveryRowOnce(rows);
    assertEquals(
        BackfillState.DONE,
        Backfills.of(right).progress(OneBackfillCatalog.VERSION).orElseThrow().state());
  }

  @Test
  void aMalformedFileIsRefusedBeforeTheBackfillStarts() throws Exception {
    Path unclosed = dir.resolve("unclosed.csv");
    Files.writeString(unclosed, "name,note\r\na,b\r\nc,\"never closed\r\n");
    MigrationRunner runner =
        runner(new CsvRecorder(target, true, 0), unclosed, 20, HealthCheck.none());
    String message = assertThrows(BackfillInputException.class, runner::migrate).getMessage();
    assertTrue(message.contains("row 2 has a quoted field that is never closed"), message);
    assertTrue(Backfills.of(runner).progress(OneBackfillCatalog.VERSION).isEmpty(), "not started");

    Path ragged = dir.resolve("ragged.csv");
    Files.writeString(ragged, "name,note\na,b\nc,d,e\n");
    message =
        assertThrows(
                BackfillInputException.class,
                runner(new CsvRecorder(target, true, 0), ragged, 20, HealthCheck.none())::migrate)
            .getMessage();
    assertTrue(message.contains("row 2 has 3 fields where the header has 2"), message);
  }

  /**
   * A quoted field never closed near the start of a big file is refused once its record passes 16
   * MiB, the most one record may hold, instead of the rest of the file being read into memory.
   */
  @Test
  void aRecordLongerThanTheLimitIsRefusedBeforeTheRestOfTheFileIsRead() throws Exception {
    Path huge = dir.resolve("huge.csv");
    try (var out = Files.newOutputStream(huge)) {
      out.write("name,note\r\na,b\r\nc,\"never closed ".getBytes(StandardCharsets.UTF_8));
      byte[] filler = "x".repeat(1 << 16).getBytes(StandardCharsets.UTF_8);
      for (int i = 0; i < 17 * 16; i++) {
        out.write(filler);
      }
    }
    MigrationRunner runner = runner(new CsvRecorder(target, true, 0), huge, 20, HealthCheck.none());
    String message = assertThrows(BackfillInputException.class, runner::migrate).getMessage();
    assertTrue(
        message.contains(
            "row 2 is longer than 16 MiB, the most one record may hold (a quoted field that is never"
                + " closed?)"),
        message);
    assertTrue(Backfills.of(runner).progress(OneBackfillCatalog.VERSION).isEmpty(), "not started");
  }

  /**
   * The file replaced while the backfill runs (the same number of rows, other values): the SHA-256
   * is checked only when the backfill starts, so the batches after the replacement read the new
   * file's rows under the old row numbers. Each batch now checks that the file is still the one it
   * read; the backfill fails, nothing of the new file processed, and resumes with the file put
   * back.
   */
  @Test
  void aFileReplacedWhileTheBackfillRunsFailsItInsteadOfReadingOtherRows() throws Exception {
    List<String[]> rows = rows(100);
    Path file = write(dir.resolve("live.csv"), rows, true);
    byte[] original = Files.readAllBytes(file);
    List<String[]> others = new ArrayList<>();
    for (String[] row : rows) {
      others.add(new String[] {"other " + row[0], row[1]});
    }
    Path other = write(dir.resolve("other.csv"), others, true);
    AtomicInteger checks = new AtomicInteger();
    HealthCheck replaceBeforeTheFourthBatch =
        handle -> {
          if (checks.incrementAndGet() == 4) {
            try {
              Files.move(
                  other,
                  file,
                  java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                  java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            } catch (java.io.IOException e) {
              throw new java.io.UncheckedIOException(e);
            }
          }
          return HealthCheck.Status.HEALTHY;
        };
    MigrationRunner runner =
        MigrationRunner.configure(jdbi, new OneBackfillCatalog(new CsvRecorder(target, true, 0)))
            .table(history)
            .with(
                BackfillSettings.builder()
                    .batchSize(10)
                    .maxAttempts(1)
                    .healthCheck(replaceBeforeTheFourthBatch)
                    .csvFile(OneBackfillCatalog.VERSION, file)
                    .build())
            .build();

    BackfillFailedException failed = assertThrows(BackfillFailedException.class, runner::migrate);
    assertTrue(
        failed.getMessage().contains("the file changed since the backfill read it"),
        failed.getMessage());
    List<String> names =
        jdbi.withHandle(
            h -> h.createQuery("SELECT name FROM " + target).mapTo(String.class).list());
    assertTrue(names.size() < 100, "stopped: " + names.size());
    assertTrue(
        names.stream().noneMatch(name -> name.startsWith("other ")),
        "no row of the other file: " + names);

    Files.write(file, original);
    Backfills.of(runner).resume(OneBackfillCatalog.VERSION);
    runner(new CsvRecorder(target, true, 0), file, 10, HealthCheck.none()).migrate();
    assertEveryRowOnce(rows);
  }

  @Test
  void killedWorkersProcessEveryRowOfTheFileExactlyOnce() throws Exception {
    List<String[]> rows = rows(2000);
    Path file = write(dir.resolve("kill.csv"), rows, true);
    keeper.close();
    keeper = null;
    Path output = Files.createTempFile("datamigrations-csv", ".log");
    Random random = new Random(42);
    int kills = 0;
    boolean finished = false;
    for (int round = 0; round < 12 && !finished; round++) {
      Process child =
          new ProcessBuilder(
                  Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                  "-cp",
                  System.getProperty("java.class.path"),
                  CsvWorkerMain.class.getName(),
                  db.url(),
                  db.user() == null ? "" : db.user(),
                  db.password() == null ? "" : db.password(),
                  history,
                  target,
                  file.toString(),
                  "8",
                  "20")
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.appendTo(output.toFile()))
              .start();
      // JVM start and connect take a few hundred ms; kill somewhere in the backfill's 100 batches.
      if (child.waitFor(400 + random.nextInt(900), TimeUnit.MILLISECONDS)) {
        finished = child.exitValue() == 0;
        assertTrue(finished, "child failed:\n" + Files.readString(output, StandardCharsets.UTF_8));
      } else {
        child.destroyForcibly().waitFor();
        kills++;
      }
    }
    String log = Files.readString(output, StandardCharsets.UTF_8);
    Files.delete(output);
    assertTrue(kills >= 3, "only " + kills + " kills:\n" + log);
    MigrationRunner runner = runner(new CsvRecorder(target, true, 0), file, 20, HealthCheck.none());
    runner.migrate();
    assertEveryRowOnce(rows);
    assertEquals(
        2000, Backfills.of(runner).progress(OneBackfillCatalog.VERSION).orElseThrow().rowsDone());
  }
}
