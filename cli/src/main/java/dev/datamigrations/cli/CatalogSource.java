package dev.datamigrations.cli;

import dev.datamigrations.runtime.MigrationCatalog;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;

/**
 * Where the application's {@link MigrationCatalog} comes from: given by the embedding application,
 * or found with {@link ServiceLoader}. A failed look-up is kept as a message, reported only by the
 * commands that need a catalog, so that {@code new --package} and {@code --help} work without one.
 */
final class CatalogSource {
  private final MigrationCatalog catalog;
  private final String problem;

  private CatalogSource(MigrationCatalog catalog, String problem) {
    this.catalog = catalog;
    this.problem = problem;
  }

  /** Returns a source of {@code catalog}. */
  static CatalogSource of(MigrationCatalog catalog) {
    return new CatalogSource(catalog, null);
  }

  /**
   * Returns the one catalog registered in {@code
   * META-INF/services/dev.datamigrations.runtime.MigrationCatalog} of {@code loader}, or the reason
   * there is not exactly one.
   */
  static CatalogSource fromServiceLoader(ClassLoader loader) {
    List<MigrationCatalog> found = new ArrayList<>();
    try {
      ServiceLoader.load(MigrationCatalog.class, loader).forEach(found::add);
    } catch (ServiceConfigurationError e) {
      return new CatalogSource(
          null,
          "Cannot load a MigrationCatalog listed in META-INF/services/"
              + MigrationCatalog.class.getName()
              + ": "
              + e.getMessage()
              + ". Rebuild the application so that the generated MigrationRegistry is on the class path.");
    }
    if (found.isEmpty()) {
      return new CatalogSource(
          null,
          "No MigrationCatalog found on the class path. Add datamigrations-processor to the compiler's"
              + " annotation processors so that it generates MigrationRegistry and registers it in"
              + " META-INF/services/"
              + MigrationCatalog.class.getName()
              + ", or, if the registry needs Dagger, embed the command line with"
              + " DataMigrationsCli.forCatalog(component.migrationRegistry()).execute(args).");
    }
    if (found.size() > 1) {
      List<String> names = found.stream().map(c -> c.getClass().getName()).sorted().toList();
      return new CatalogSource(
          null,
          "Found "
              + found.size()
              + " MigrationCatalogs on the class path, expected one: "
              + String.join(", ", names)
              + ". Keep one application's migrations per class path, or embed the command line with"
              + " DataMigrationsCli.forCatalog(catalog).execute(args).");
    }
    return of(found.get(0));
  }

  /** Returns the catalog, or throws a {@link ConfigurationException} saying why there is none. */
  MigrationCatalog require() {
    if (catalog == null) {
      throw new ConfigurationException(problem);
    }
    return catalog;
  }

  /** Returns the catalog, if there is exactly one. */
  Optional<MigrationCatalog> find() {
    return Optional.ofNullable(catalog);
  }
}
