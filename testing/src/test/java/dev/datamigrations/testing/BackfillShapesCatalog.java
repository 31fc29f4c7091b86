package dev.datamigrations.testing;

import dev.datamigrations.runtime.Migration;
import dev.datamigrations.runtime.MigrationCatalog;
import dev.datamigrations.runtime.MigrationDescriptor;
import dev.datamigrations.runtime.MigrationDescriptor.Reversibility;
import dev.datamigrations.runtime.backfill.BackfillQuery;
import dev.datamigrations.runtime.backfill.Batch;
import dev.datamigrations.runtime.backfill.CsvBackfill;
import dev.datamigrations.runtime.backfill.CsvBatch;
import dev.datamigrations.runtime.backfill.CsvRow;
import dev.datamigrations.runtime.backfill.QueryBackfill;
import java.util.List;
import org.jdbi.v3.core.Handle;

/**
 * What the processor would generate for a {@link QueryBackfill} (1: normalizes the emails of the
 * customers with a positive id, walked through a query) and a {@link CsvBackfill} (2: inserts the
 * plans of a CSV file, {@code code,name}; a duplicate code fails its batch), on the fixtures'
 * {@code ShopSchema}.
 */
final class BackfillShapesCatalog implements MigrationCatalog {
  static final long NORMALIZE_BY_QUERY = 1;
  static final long IMPORT_PLANS = 2;

  @Override
  public List<MigrationDescriptor> descriptors() {
    return List.of(
        MigrationDescriptor.backfill(
            NORMALIZE_BY_QUERY,
            "Normalize emails of real customers",
            "test.NormalizeByQuery",
            Reversibility.IRREVERSIBLE),
        MigrationDescriptor.backfill(
            IMPORT_PLANS, "Import plans", "test.ImportPlans", Reversibility.IRREVERSIBLE));
  }

  @Override
  public Migration instantiate(int index) {
    return switch (index) {
      case 0 ->
          new QueryBackfill() {
            @Override
            public BackfillQuery query() {
              return BackfillQuery.of("SELECT id FROM customers WHERE id > 0", "id");
            }

            @Override
            public void process(Handle handle, Batch batch) {
              handle
                  .createUpdate(
                      "UPDATE customers SET email_normalized = LOWER(TRIM(email))"
                          + " WHERE id BETWEEN :first AND :last AND id > 0")
                  .bind("first", batch.first())
                  .bind("last", batch.last())
                  .execute();
            }
          };
      case 1 ->
          new CsvBackfill() {
            @Override
            public void process(Handle handle, CsvBatch batch) {
              for (CsvRow row : batch) {
                handle.execute(
                    "INSERT INTO plans (code, name) VALUES (?, ?)",
                    row.get("code"),
                    row.get("name"));
              }
            }
          };
      default -> throw new IndexOutOfBoundsException(index);
    };
  }
}
