package dev.datamigrations.runtime;

import dev.datamigrations.runtime.backfill.Backfill;
import dev.datamigrations.runtime.backfill.Batch;
import dev.datamigrations.runtime.backfill.KeyRange;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.jdbi.v3.core.Handle;

/**
 * A hand-written catalog with a backfill between two plain migrations, what the processor would
 * generate for: 1, a migration that records "seed" in the marker table; 2, a backfill that adds 1
 * to {@code hits} of every row of the items table (so a row processed twice shows 2); 3, a
 * migration that records "after".
 */
final class BackfillCatalog implements MigrationCatalog {
  static final long SEED = 1;
  static final long FILL = 2;
  static final long AFTER = 3;

  private final String items;
  private final String marker;
  private final long sleepMillis;
  private final String keyColumn;

  /** Counts batches processed in this JVM, committed or not. */
  final AtomicLong batches = new AtomicLong();

  /** Runs at the start of every batch, inside its transaction, after it was claimed. */
  volatile Consumer<Batch> beforeBatch = batch -> {};

  /** Runs in every batch after its update, on the batch's handle, inside its transaction. */
  volatile java.util.function.BiConsumer<Handle, Batch> afterUpdate = (handle, batch) -> {};

  /**
   * @param items the table to walk: {@code id BIGINT PRIMARY KEY, hits INT}
   * @param marker the table the plain migrations write to: {@code name VARCHAR}
   * @param sleepMillis how long each batch sleeps, to make a backfill last
   */
  BackfillCatalog(String items, String marker, long sleepMillis) {
    this(items, marker, sleepMillis, "id");
  }

  /** A catalog whose backfill walks {@code keyColumn} of the items table. */
  BackfillCatalog(String items, String marker, long sleepMillis, String keyColumn) {
    this.items = items;
    this.marker = marker;
    this.sleepMillis = sleepMillis;
    this.keyColumn = keyColumn;
  }

  @Override
  public List<MigrationDescriptor> descriptors() {
    return List.of(
        new MigrationDescriptor(SEED, "Seed", "test.Seed", true, false),
        new MigrationDescriptor(
            FILL, "Fill hits", "test.FillHits", false, true, MigrationKind.BACKFILL),
        new MigrationDescriptor(AFTER, "After fill", "test.AfterFill", true, false));
  }

  @Override
  public Migration instantiate(int index) {
    return switch (index) {
      case 0 -> handle -> handle.execute("INSERT INTO " + marker + " (name) VALUES ('seed')");
      case 1 -> new FillHits();
      case 2 -> handle -> handle.execute("INSERT INTO " + marker + " (name) VALUES ('after')");
      default -> throw new IndexOutOfBoundsException(index);
    };
  }

  /** The backfill, as a user writes one. */
  final class FillHits implements Backfill {
    @Override
    public KeyRange keys() {
      return KeyRange.of(items, keyColumn);
    }

    @Override
    public void process(Handle handle, Batch batch) {
      batches.incrementAndGet();
      beforeBatch.accept(batch);
      handle
          .createUpdate(
              "UPDATE "
                  + items
                  + " SET hits = hits + 1 WHERE "
                  + keyColumn
                  + " BETWEEN :first AND :last")
          .bind("first", batch.first())
          .bind("last", batch.last())
          .execute();
      afterUpdate.accept(handle, batch);
      if (sleepMillis > 0) {
        try {
          Thread.sleep(sleepMillis);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
    }

    @Override
    public void down(Handle handle) {
      handle.execute("UPDATE " + items + " SET hits = 0");
    }
  }
}
