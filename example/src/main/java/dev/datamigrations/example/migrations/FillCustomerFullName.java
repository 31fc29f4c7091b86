package dev.datamigrations.example.migrations;

import dev.datamigrations.DataMigration;
import dev.datamigrations.runtime.Migration;
import org.jdbi.v3.core.Handle;

/**
 * Fills the {@code full_name} column that schema migration V2 added, from the two old columns.
 * Reversible: the old columns are still there, so {@code down} just empties the new one.
 */
@DataMigration(version = 20240901093000L)
public final class FillCustomerFullName implements Migration {

  @Override
  public void up(Handle handle) {
    handle.execute(
        "UPDATE customers SET full_name = CONCAT(first_name, ' ', last_name) WHERE full_name IS NULL");
  }

  @Override
  public void down(Handle handle) {
    handle.execute("UPDATE customers SET full_name = NULL");
  }
}
