package dev.datamigrations.example.spring.migrations;

import dev.datamigrations.DataMigration;
import dev.datamigrations.runtime.backfill.Backfill;
import dev.datamigrations.runtime.backfill.Batch;
import dev.datamigrations.runtime.backfill.KeyRange;
import org.jdbi.v3.core.Handle;

/** Fills {@code full_name}, which the schema's V2 added, batch by batch over the customers' ids. */
@DataMigration(version = 20250111090000L, description = "Backfill customer full names")
public final class BackfillCustomerFullNames implements Backfill {

  @Override
  public KeyRange keys() {
    return KeyRange.of("customers", "id");
  }

  @Override
  public void process(Handle handle, Batch batch) {
    handle.execute(
        "UPDATE customers SET full_name = CONCAT(first_name, ' ', last_name) WHERE id BETWEEN ? AND ?",
        batch.first(),
        batch.last());
  }
}
