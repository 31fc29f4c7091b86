package dev.datamigrations.spring.boot.testmigrations;

import dev.datamigrations.DataMigration;
import dev.datamigrations.runtime.Migration;
import org.jdbi.v3.core.Handle;

/** Upper-cases every customer's name: proves the second migration ran after the first. */
@DataMigration(version = 20250102000000L, description = "Capitalize customer names")
public final class CapitalizeCustomerNames implements Migration {
  @Override
  public void up(Handle handle) {
    handle.execute("UPDATE customers SET name = UPPER(name)");
  }
}
