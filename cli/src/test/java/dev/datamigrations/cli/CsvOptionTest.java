package dev.datamigrations.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.datamigrations.runtime.Migration;
import dev.datamigrations.runtime.MigrationCatalog;
import dev.datamigrations.runtime.MigrationDescriptor;
import dev.datamigrations.runtime.MigrationKind;
import dev.datamigrations.runtime.backfill.CsvBackfill;
import dev.datamigrations.runtime.backfill.CsvBatch;
import dev.datamigrations.runtime.backfill.CsvRow;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --csv}: the file of a CsvBackfill, given as {@code work VERSION --csv FILE} or {@code
 * migrate --csv VERSION=FILE}; a file without a version where the command names none, and no file
 * at all, are usage errors (exit 2); an applied backfill does not read its file again.
 */
class CsvOptionTest {
  static final long IMPORT = 20240301000000L;

  @TempDir Path dir;

  private final String suffix = UUID.randomUUID().toString().replace("-", "").substring(0, 10);
  private final String history = "cli_csv_" + suffix;
  private final String target = "cli_rows_" + suffix;

  /** One CSV backfill that inserts each row's sku into the target table. */
  final class Catalog implements MigrationCatalog {
    @Override
    public List<MigrationDescriptor> descriptors() {
      return List.of(
          new MigrationDescriptor(
              IMPORT, "Import skus", "test.ImportSkus", false, false, MigrationKind.BACKFILL));
    }

    @Override
    public Migration instantiate(int index) {
      return new CsvBackfill() {
        @Override
        public void process(Handle handle, CsvBatch batch) {
          for (CsvRow row : batch) {
            handle.execute("INSERT INTO " + target + " (sku) VALUES (?)", row.get("sku"));
          }
        }
      };
    }
  }

  private CliRun run(CliDatabase database, String... args) {
    String[] withTable = new String[args.length + 4];
    System.arraycopy(args, 0, withTable, 0, args.length);
    withTable[args.length] = "--table";
    withTable[args.length + 1] = history;
    withTable[args.length + 2] = "--batch-size";
    withTable[args.length + 3] = "2";
    return CliRun.of(
        DataMigrationsCli.forCatalog(new Catalog())
            .environment(Map.of())
            .progressStyle(ProgressStyle.LINES),
        database.arguments(withTable));
  }

  @Test
  void workTakesTheFileOfItsVersionAndMigrateTakesVersionEqualsFile() throws Exception {
    CliDatabase database = CliDatabase.named("h2");
    Jdbi jdbi = Jdbi.create(database.url(), database.user(), database.password());
    jdbi.useHandle(h -> h.execute("CREATE TABLE " + target + " (sku VARCHAR(20) NOT NULL)"));
    Path file =
        Files.writeString(
            dir.resolve("skus.csv"), "sku,name\na-1,\"One, the first\"\nb-2,Two\nc-3,Three\n");
    Path other = Files.writeString(dir.resolve("other.csv"), "sku,name\nz-9,Other\n");

    CliRun unassigned = run(database, "migrate", "--csv", file.toString());
    assertEquals(ExitCodes.USAGE, unassigned.exitCode(), unassigned::toString);
    assertTrue(unassigned.err().contains("write --csv VERSION=FILE"), unassigned::toString);

    CliRun tooLong = run(database, "migrate", "--csv", "99999999999999999999=" + file);
    assertEquals(ExitCodes.USAGE, tooLong.exitCode(), tooLong::toString);
    assertTrue(tooLong.err().contains("99999999999999999999 is not a version"), tooLong::toString);

    CliRun twice =
        run(database, "migrate", "--csv", IMPORT + "=" + file, "--csv", IMPORT + "=" + other);
    assertEquals(ExitCodes.USAGE, twice.exitCode(), twice::toString);
    assertTrue(
        twice.err().contains("--csv gives backfill " + IMPORT + " two files"), twice::toString);

    CliRun noFile = run(database, "migrate", "--csv", IMPORT + "=");
    assertEquals(ExitCodes.USAGE, noFile.exitCode(), noFile::toString);
    assertTrue(noFile.err().contains("names no file"), noFile::toString);

    CliRun none = run(database, "work", Long.toString(IMPORT));
    assertEquals(ExitCodes.USAGE, none.exitCode(), none::toString);
    assertTrue(none.err().contains("was given no CSV file"), none::toString);

    CliRun work = run(database, "work", Long.toString(IMPORT), "--csv", file.toString());
    assertEquals(ExitCodes.SUCCESS, work.exitCode(), work::toString);
    assertTrue(work.out().contains("100.0% (3 of 3 rows"), work::toString);

    CliRun changed = run(database, "migrate", "--csv", IMPORT + "=" + other);
    assertEquals(
        ExitCodes.SUCCESS,
        changed.exitCode(),
        "applied already: the file is not read again\n" + changed);

    assertEquals(
        List.of("a-1", "b-2", "c-3"),
        jdbi.withHandle(
            h ->
                h.createQuery("SELECT sku FROM " + target + " ORDER BY sku")
                    .mapTo(String.class)
                    .list()));
  }
}
