package com.acme.migrations;

import dev.datamigrations.runtime.MigrationCatalog;
import java.util.function.Supplier;

/**
 * What a project whose registry Dagger builds names in {@code <catalog>}: here it returns the plain
 * registry, and says so, so that a test can tell it was used.
 */
public final class RegistrySupplier implements Supplier<MigrationCatalog> {

  @Override
  public MigrationCatalog get() {
    System.out.println("Catalog from com.acme.migrations.RegistrySupplier");
    return new MigrationRegistry();
  }
}
