package dev.datamigrations.spring.boot;

import dev.datamigrations.runtime.Migration;
import dev.datamigrations.runtime.MigrationCatalog;
import dev.datamigrations.runtime.MigrationDescriptor;
import dev.datamigrations.runtime.MigrationKind;
import dev.datamigrations.runtime.backfill.Backfill;
import dev.datamigrations.runtime.backfill.Batch;
import dev.datamigrations.runtime.backfill.KeyRange;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.jdbi.v3.core.Handle;

/**
 * A catalog with one backfill that upper-cases the customers' names and remembers each batch's size
 * and the thread that processed it; each batch also takes {@code work} longer, as real work would,
 * so that batch tuning and several workers have something to act on.
 */
final class RecordingBackfillCatalog implements MigrationCatalog {
  static final long VERSION = 20240401000000L;

  /** The batches' sizes in the order they were processed. */
  final List<Long> batchSizes = new CopyOnWriteArrayList<>();

  /** The threads that processed batches. */
  final Set<Thread> threads = ConcurrentHashMap.newKeySet();

  private final Duration work;

  RecordingBackfillCatalog(Duration work) {
    this.work = work;
  }

  @Override
  public List<MigrationDescriptor> descriptors() {
    return List.of(
        new MigrationDescriptor(
            VERSION,
            "Capitalize names, recorded",
            RecordingBackfillCatalog.class.getName(),
            false,
            false,
            MigrationKind.BACKFILL));
  }

  @Override
  public Migration instantiate(int index) {
    return new Backfill() {
      @Override
      public KeyRange keys() {
        return KeyRange.of("customers", "id");
      }

      @Override
      public void process(Handle handle, Batch batch) {
        handle.execute(
            "UPDATE customers SET name = UPPER(name) WHERE id BETWEEN ? AND ?",
            batch.first(),
            batch.last());
        batchSizes.add(batch.size());
        threads.add(Thread.currentThread());
        try {
          Thread.sleep(work.toMillis()); // the batch's work, not a wait for a result
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
    };
  }
}
