package dev.datamigrations.example.migrations;

import dev.datamigrations.example.ExampleComponent;
import dev.datamigrations.runtime.MigrationCatalog;
import java.util.function.Supplier;

/** The example's migrations as the application builds them, through Dagger, for the test kit. */
public final class ExampleMigrations implements Supplier<MigrationCatalog> {

  @Override
  public MigrationCatalog get() {
    return ExampleComponent.create().migrations();
  }
}
