package dev.datamigrations.runtime;

import java.util.List;

/**
 * Creates the catalog of an application whose migrations have {@code @Inject} constructors from a
 * {@link MigrationDependencies}. The annotation processor generates the implementation ({@code
 * MigrationRegistry.Factory}) and registers it for {@link java.util.ServiceLoader}, as it registers
 * a plain registry as a {@link MigrationCatalog}: a container finds it without scanning the class
 * path.
 */
public interface MigrationCatalogFactory {

  /**
   * Returns every constructor parameter of every injected migration, in version then parameter
   * order.
   */
  List<MigrationDependency> dependencies();

  /**
   * Returns the catalog, which asks {@code dependencies} for a migration's arguments each time it
   * creates that migration (never for a migration that is not created).
   */
  MigrationCatalog create(MigrationDependencies dependencies);
}
