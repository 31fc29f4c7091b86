package dev.datamigrations.example.migrations;

import dev.datamigrations.testing.SchemaSetup;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;

/**
 * The example's schema, from its own Flyway migrations: what the data migrations find in
 * production.
 */
public final class FlywaySchema implements SchemaSetup {

  @Override
  public void apply(DataSource dataSource) {
    Flyway.configure().dataSource(dataSource).load().migrate();
  }
}
