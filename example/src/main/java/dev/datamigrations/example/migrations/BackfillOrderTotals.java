package dev.datamigrations.example.migrations;

import dev.datamigrations.DataMigration;
import dev.datamigrations.runtime.backfill.Backfill;
import dev.datamigrations.runtime.backfill.Batch;
import dev.datamigrations.runtime.backfill.KeyRange;
import org.jdbi.v3.core.Handle;

/**
 * Fills {@code orders.total_cents}, which schema migration V4 added, batch by batch over the order
 * ids: the kind of backfill that runs while the application serves traffic. Each batch commits with
 * its progress, so it resumes where it stopped; {@code migrate} and {@code work} show its progress
 * (a live bar on a terminal).
 */
@DataMigration(version = 20240906080000L, description = "Backfill order totals")
public final class BackfillOrderTotals implements Backfill {

  @Override
  public KeyRange keys() {
    return KeyRange.of("orders", "id");
  }

  @Override
  public void process(Handle handle, Batch batch) {
    handle
        .createUpdate(
            "UPDATE orders SET total_cents = quantity * unit_price_cents"
                + " WHERE id BETWEEN :first AND :last AND total_cents IS NULL")
        .bind("first", batch.first())
        .bind("last", batch.last())
        .execute();
  }

  @Override
  public void down(Handle handle) {
    handle.execute("UPDATE orders SET total_cents = NULL");
  }
}
