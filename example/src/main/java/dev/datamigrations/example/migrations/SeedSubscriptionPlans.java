package dev.datamigrations.example.migrations;

import dev.datamigrations.DataMigration;
import dev.datamigrations.runtime.Migration;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.PreparedBatch;

/** Seeds the reference records every environment needs: the subscription plans ("seed parity"). */
@DataMigration(version = 20240915120000L, description = "Seed subscription plans")
public final class SeedSubscriptionPlans implements Migration {

  @Override
  public void up(Handle handle) {
    PreparedBatch batch =
        handle.prepareBatch(
            "INSERT INTO plans (code, name, monthly_price_cents) VALUES (:code, :name, :price)");
    batch.bind("code", "free").bind("name", "Free").bind("price", 0).add();
    batch.bind("code", "team").bind("name", "Team").bind("price", 2900).add();
    batch.bind("code", "business").bind("name", "Business").bind("price", 9900).add();
    batch.execute();
  }

  @Override
  public void down(Handle handle) {
    handle.execute("DELETE FROM plans WHERE code IN ('free', 'team', 'business')");
  }
}
