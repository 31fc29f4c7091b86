package dev.datamigrations.spring.boot;

import dev.datamigrations.runtime.MigrationCatalog;
import java.util.List;
import java.util.ServiceLoader;
import java.util.stream.Collectors;

/**
 * Finds the generated {@code MigrationRegistry} through the {@code META-INF/services} entry the processor
 * writes, without scanning the class path.
 */
final class CatalogLoader {
  static final String SERVICE_FILE = "META-INF/services/" + MigrationCatalog.class.getName();

  private CatalogLoader() {}

  /**
   * Returns the one registered catalog.
   *
   * @throws IllegalStateException if there is none or more than one, saying how to fix it
   */
  static MigrationCatalog load(ClassLoader classLoader) {
    List<MigrationCatalog> found =
        ServiceLoader.load(MigrationCatalog.class, classLoader).stream().map(ServiceLoader.Provider::get).toList();
    if (found.isEmpty()) {
      throw new IllegalStateException(
          "datamigrations found no MigrationRegistry: no "
              + SERVICE_FILE
              + " on the class path. Add datamigrations-processor to the compiler's annotation processors and"
              + " at least one @DataMigration class; if some migrations have @Inject constructors, put"
              + " @Import(MigrationRegistry.class) on the application (such a registry is not registered there);"
              + " or declare a MigrationCatalog bean, or set datamigrations.enabled=false.");
    }
    if (found.size() > 1) {
      throw new IllegalStateException(
          "datamigrations found "
              + found.size()
              + " registries in "
              + SERVICE_FILE
              + " ("
              + found.stream().map(c -> c.getClass().getName()).collect(Collectors.joining(", "))
              + "): declare the MigrationCatalog bean to run.");
    }
    return found.get(0);
  }
}
