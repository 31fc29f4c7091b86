package dev.datamigrations.spring.boot;

import dev.datamigrations.runtime.Migration;
import dev.datamigrations.runtime.MigrationCatalog;
import dev.datamigrations.runtime.MigrationDescriptor;
import dev.datamigrations.runtime.MigrationKind;
import dev.datamigrations.runtime.backfill.Backfill;
import dev.datamigrations.runtime.backfill.Batch;
import dev.datamigrations.runtime.backfill.KeyRange;
import java.util.List;
import org.jdbi.v3.core.Handle;

/**
 * A catalog with one backfill that upper-cases the customers' names batch by batch; with batch size
 * 1 and a pause between batches it runs long enough to be watched, paused and resumed.
 */
final class SlowBackfillCatalog implements MigrationCatalog {
  static final long VERSION = 20240301000000L;

  @Override
  public List<MigrationDescriptor> descriptors() {
    return List.of(
        new MigrationDescriptor(
            VERSION,
            "Capitalize names in batches",
            SlowBackfillCatalog.class.getName(),
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
      }
    };
  }
}
