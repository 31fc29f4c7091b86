package dev.datamigrations.console;

import dev.datamigrations.runtime.Migration;
import dev.datamigrations.runtime.MigrationCatalog;
import dev.datamigrations.runtime.MigrationDescriptor;
import dev.datamigrations.runtime.MigrationDescriptor.Reversibility;
import dev.datamigrations.runtime.MigrationDescriptor.Transaction;
import dev.datamigrations.runtime.backfill.Backfill;
import dev.datamigrations.runtime.backfill.Batch;
import dev.datamigrations.runtime.backfill.KeyRange;
import java.util.List;
import org.jdbi.v3.core.Handle;

/**
 * What the processor would generate for four migrations: 1 writes "seed" into {@code
 * console_marker}; 2 is a backfill that adds 1 to {@code hits} of every {@code console_items} row,
 * sleeping per batch so that it lasts; 3 writes "three" (reversible); 4 always fails, with a
 * message that holds a JDBC URL and a password.
 */
final class ConsoleCatalog implements MigrationCatalog {
  static final long SEED = 1;
  static final long FILL = 2;
  static final long NOTE = 3;
  static final long BROKEN = 4;
  static final String SECRET_URL =
      "jdbc:postgresql://db.internal:5432/prod?user=app&password=hunter2";

  private final long sleepMillis;

  /** While true, backfill 2's batches from key 6 on throw after their update, naming a secret. */
  volatile boolean fillBroken;

  ConsoleCatalog(long sleepMillis) {
    this.sleepMillis = sleepMillis;
  }

  @Override
  public List<MigrationDescriptor> descriptors() {
    return List.of(
        MigrationDescriptor.migration(
            SEED,
            "Seed marker",
            "test.SeedMarker",
            Transaction.TRANSACTIONAL,
            Reversibility.IRREVERSIBLE),
        MigrationDescriptor.backfill(FILL, "Fill hits", "test.FillHits", Reversibility.REVERSIBLE),
        MigrationDescriptor.migration(
            NOTE,
            "Note three",
            "test.NoteThree",
            Transaction.TRANSACTIONAL,
            Reversibility.REVERSIBLE),
        MigrationDescriptor.migration(
            BROKEN,
            "Broken import",
            "test.BrokenImport",
            Transaction.TRANSACTIONAL,
            Reversibility.IRREVERSIBLE));
  }

  @Override
  public Migration instantiate(int index) {
    return switch (index) {
      case 0 -> handle -> handle.execute("INSERT INTO console_marker (name) VALUES ('seed')");
      case 1 -> new FillHits();
      case 2 -> new NoteThree();
      case 3 ->
          handle -> {
            throw new IllegalStateException(
                "Import failed",
                new RuntimeException("could not reach " + SECRET_URL + " (password=hunter2)"));
          };
      default -> throw new IndexOutOfBoundsException(index);
    };
  }

  private static final class NoteThree implements Migration {
    @Override
    public void up(Handle handle) {
      handle.execute("INSERT INTO console_marker (name) VALUES ('three')");
    }

    @Override
    public void down(Handle handle) {
      handle.execute("DELETE FROM console_marker WHERE name = 'three'");
    }
  }

  private final class FillHits implements Backfill {
    @Override
    public KeyRange keys() {
      return KeyRange.of("console_items", "id");
    }

    @Override
    public void process(Handle handle, Batch batch) {
      handle
          .createUpdate(
              "UPDATE console_items SET hits = hits + 1 WHERE id BETWEEN :first AND :last")
          .bind("first", batch.first())
          .bind("last", batch.last())
          .execute();
      if (fillBroken && batch.last() >= 6) {
        throw new IllegalStateException("no hits for batch " + batch.number() + ": " + SECRET_URL);
      }
      if (sleepMillis > 0) {
        try {
          Thread.sleep(
              sleepMillis); // makes each batch last, so that a person (or a browser) can watch it
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
    }

    @Override
    public void down(Handle handle) {
      handle.execute("UPDATE console_items SET hits = 0");
    }
  }
}
