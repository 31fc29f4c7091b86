package dev.datamigrations.example.migrations;

import dev.datamigrations.DataMigration;
import dev.datamigrations.runtime.Migration;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.PreparedBatch;

/**
 * Seeds the demo's order history: enough rows ({@value #ORDERS}) for the backfill after it to run
 * for a few seconds, so that its progress can be watched. Plain JDBC batches, so it runs on every
 * database the example supports. Reversible: the rows are the demo's own.
 */
@DataMigration(version = 20240905080000L, description = "Seed demo orders")
public final class SeedDemoOrders implements Migration {
  static final int ORDERS = 200_000;
  private static final int CHUNK = 10_000;

  @Override
  public void up(Handle handle) {
    for (int first = 1; first <= ORDERS; first += CHUNK) {
      PreparedBatch batch =
          handle.prepareBatch(
              "INSERT INTO orders (id, customer_id, quantity, unit_price_cents) VALUES (:id, :customer, :quantity, :price)");
      for (int id = first; id < first + CHUNK && id <= ORDERS; id++) {
        batch
            .bind("id", id)
            .bind("customer", 1 + id % 5)
            .bind("quantity", 1 + id % 7)
            .bind("price", 250 + id % 1000)
            .add();
      }
      batch.execute();
    }
  }

  @Override
  public void down(Handle handle) {
    handle.execute("DELETE FROM orders");
  }
}
