package dev.datamigrations.testing.internal;

import dev.datamigrations.runtime.Migration;
import dev.datamigrations.runtime.MigrationCatalog;
import dev.datamigrations.runtime.MigrationDescriptor;
import dev.datamigrations.runtime.backfill.Backfill;
import dev.datamigrations.runtime.backfill.Batch;
import dev.datamigrations.runtime.backfill.KeyRange;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;
import org.jdbi.v3.core.Handle;

/**
 * The user's catalog, with each backfill of one version wrapped so that every batch it processes is
 * recorded and handed to a check, inside the batch's own transaction, right after the backfill's
 * {@code process} returned. The runner sees the same descriptors and the same migration, so it runs
 * the backfill as in production.
 */
public final class RecordingCatalog implements MigrationCatalog {
  private final MigrationCatalog delegate;
  private final long version;
  private final BiConsumer<Handle, Batch> afterEachBatch;
  private final List<Batch> processed = new ArrayList<>();

  public RecordingCatalog(
      MigrationCatalog delegate, long version, BiConsumer<Handle, Batch> afterEachBatch) {
    this.delegate = delegate;
    this.version = version;
    this.afterEachBatch = afterEachBatch;
  }

  @Override
  public List<MigrationDescriptor> descriptors() {
    return delegate.descriptors();
  }

  @Override
  public Migration instantiate(int index) {
    Migration migration = delegate.instantiate(index);
    if (descriptors().get(index).version() != version
        || !(migration instanceof Backfill backfill)) {
      return migration;
    }
    return new Backfill() {
      @Override
      public KeyRange keys() {
        return backfill.keys();
      }

      @Override
      public void process(Handle handle, Batch batch) {
        backfill.process(handle, batch);
        afterEachBatch.accept(handle, batch);
        synchronized (processed) {
          processed.add(batch);
        }
      }

      @Override
      public void down(Handle handle) {
        backfill.down(handle);
      }
    };
  }

  /**
   * Returns the batches processed so far, in the order their {@code process} returned. A batch
   * whose transaction then failed to commit would be listed although it rolled back: the runner
   * retries it, so it is listed again.
   */
  public List<Batch> processed() {
    synchronized (processed) {
      return List.copyOf(processed);
    }
  }
}
