package dev.datamigrations.spring.boot;

import dev.datamigrations.runtime.MigrationCatalog;
import dev.datamigrations.runtime.MigrationCatalogFactory;
import java.util.List;
import java.util.ServiceLoader;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.springframework.beans.factory.ListableBeanFactory;

/**
 * Finds the generated {@code MigrationRegistry} through the {@code META-INF/services} entry the processor
 * writes, without scanning the class path: a plain registry as a {@link MigrationCatalog}, a registry with
 * {@code @Inject} migrations as its {@link MigrationCatalogFactory}, whose migrations get their constructor
 * arguments from the context ({@link BeanDependencies}).
 */
final class CatalogLoader {
  static final String SERVICE_FILE = "META-INF/services/" + MigrationCatalog.class.getName();
  static final String FACTORY_SERVICE_FILE = "META-INF/services/" + MigrationCatalogFactory.class.getName();

  private CatalogLoader() {}

  /**
   * Returns the one registered catalog; for an injected registry, after checking that {@code beanFactory} can
   * supply every constructor argument.
   *
   * @throws IllegalStateException if there is no registry or more than one, saying how to fix it, or if an
   *     argument cannot be resolved, naming the migration and the parameter
   */
  static MigrationCatalog load(ClassLoader classLoader, ListableBeanFactory beanFactory) {
    List<MigrationCatalog> plain =
        ServiceLoader.load(MigrationCatalog.class, classLoader).stream().map(ServiceLoader.Provider::get).toList();
    List<MigrationCatalogFactory> injected =
        ServiceLoader.load(MigrationCatalogFactory.class, classLoader).stream()
            .map(ServiceLoader.Provider::get)
            .toList();
    if (plain.isEmpty() && injected.isEmpty()) {
      throw new IllegalStateException(
          "datamigrations found no MigrationRegistry: neither "
              + SERVICE_FILE
              + " nor "
              + FACTORY_SERVICE_FILE
              + " is on the class path. Add datamigrations-processor to the compiler's annotation processors and"
              + " at least one @DataMigration class; or declare a MigrationCatalog bean, or set"
              + " datamigrations.enabled=false.");
    }
    if (plain.size() + injected.size() > 1) {
      throw new IllegalStateException(
          "datamigrations found "
              + (plain.size() + injected.size())
              + " registries in "
              + SERVICE_FILE
              + " and "
              + FACTORY_SERVICE_FILE
              + " ("
              + Stream.concat(plain.stream(), injected.stream())
                  .map(c -> c.getClass().getName())
                  .collect(Collectors.joining(", "))
              + "): declare the MigrationCatalog bean to run.");
    }
    if (!plain.isEmpty()) {
      return plain.get(0);
    }
    MigrationCatalogFactory factory = injected.get(0);
    BeanDependencies dependencies = new BeanDependencies(beanFactory);
    dependencies.check(factory.dependencies());
    return factory.create(dependencies);
  }
}
