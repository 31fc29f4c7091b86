package dev.datamigrations.spring.boot.testmigrations;

import dev.datamigrations.DataMigration;
import dev.datamigrations.runtime.Migration;
import org.jdbi.v3.core.Handle;

/** Seeds two customers into the table the schema tool (Flyway, Liquibase or schema.sql) created. */
@DataMigration(version = 20250101000000L, description = "Seed customers")
public final class SeedCustomers implements Migration {
  @Override
  public void up(Handle handle) {
    handle.execute("INSERT INTO customers (name) VALUES ('ada'), ('linus')");
  }
}
