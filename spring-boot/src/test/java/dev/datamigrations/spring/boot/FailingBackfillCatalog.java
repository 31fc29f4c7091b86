package dev.datamigrations.spring.boot;

import dev.datamigrations.runtime.Migration;
import dev.datamigrations.runtime.MigrationCatalog;
import dev.datamigrations.runtime.MigrationDescriptor;
import dev.datamigrations.runtime.MigrationKind;
import dev.datamigrations.runtime.backfill.Backfill;
import dev.datamigrations.runtime.backfill.Batch;
import dev.datamigrations.runtime.backfill.KeyRange;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jdbi.v3.core.Handle;

/**
 * A catalog with one backfill that upper-cases the customers' names and, while {@link #broken},
 * throws on the batch holding customer 3 after its update, with a secret in its message: with
 * batches of one key and few attempts, the backfill becomes FAILED; clear {@link #broken} (the fix)
 * and resume it.
 */
final class FailingBackfillCatalog implements MigrationCatalog {
  static final long VERSION = 20240601000000L;
  static final String SECRET = "hunter2";

  /** Whether the batch of customer 3 throws. */
  final AtomicBoolean broken = new AtomicBoolean(true);

  @Override
  public List<MigrationDescriptor> descriptors() {
    return List.of(
        new MigrationDescriptor(
            VERSION,
            "Capitalize names, broken on customer 3",
            FailingBackfillCatalog.class.getName(),
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
        if (broken.get() && batch.first() <= 3 && 3 <= batch.last()) {
          throw new IllegalStateException(
              "customer 3 cannot be capitalized (jdbc:postgresql://db/app?password="
                  + SECRET
                  + ")");
        }
      }
    };
  }
}
