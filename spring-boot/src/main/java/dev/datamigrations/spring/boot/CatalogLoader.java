package dev.datamigrations.spring.boot;

import dev.datamigrations.runtime.MigrationCatalog;
import dev.datamigrations.runtime.MigrationCatalogFactory;
import java.util.List;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;

/**
 * Finds the generated {@code MigrationRegistry} through the {@code META-INF/services} entry the
 * processor writes, without scanning the class path: a plain registry as a {@link
 * MigrationCatalog}, a registry with {@code @Inject} migrations as its {@link
 * MigrationCatalogFactory}, whose migrations get their constructor arguments from the context
 * ({@link BeanDependencies}).
 */
final class CatalogLoader {
  static final String SERVICE_FILE = "META-INF/services/" + MigrationCatalog.class.getName();
  static final String FACTORY_SERVICE_FILE =
      "META-INF/services/" + MigrationCatalogFactory.class.getName();

  private CatalogLoader() {}

  /**
   * Returns the one registered catalog; for an injected registry, after checking that {@code
   * beanFactory} can supply every constructor argument.
   *
   * @throws IllegalStateException if there is no registry or more than one, saying how to fix it,
   *     or if an argument cannot be resolved, naming the migration and the parameter
   */
  static MigrationCatalog load(ClassLoader classLoader, ListableBeanFactory beanFactory) {
    List<MigrationCatalog> plain =
        ServiceLoader.load(MigrationCatalog.class, classLoader).stream()
            .map(ServiceLoader.Provider::get)
            .toList();
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

  /**
   * Refuses a generated registry with {@code @Inject} migrations that the application registered by
   * its class (as {@code @Import(MigrationRegistry.class)} did before the registry had a factory):
   * Spring would call its Dagger constructor, whose providers ask for the migrations as beans,
   * which they are not, so each migration would fail only when it runs.
   *
   * @throws IllegalStateException naming the bean and saying how to fix it
   */
  static void refuseRegisteredInjectedRegistry(
      ConfigurableListableBeanFactory beanFactory, ClassLoader classLoader) {
    Set<String> injectedRegistries =
        ServiceLoader.load(MigrationCatalogFactory.class, classLoader).stream()
            .map(factory -> factory.type().getDeclaringClass())
            .filter(registry -> registry != null)
            .map(Class::getName)
            .collect(Collectors.toSet());
    for (String name : beanFactory.getBeanNamesForType(MigrationCatalog.class, true, false)) {
      if (!beanFactory.containsBeanDefinition(name)) {
        continue; // a singleton registered as an instance: built by the application
      }
      BeanDefinition definition = beanFactory.getBeanDefinition(name);
      if (definition.getFactoryMethodName() == null
          && injectedRegistries.contains(definition.getBeanClassName())) {
        throw new IllegalStateException(
            "Bean '"
                + name
                + "' is the generated "
                + definition.getBeanClassName()
                + ", registered by its class (e.g. @Import(MigrationRegistry.class)): Spring would create it"
                + " through its Dagger constructor, and its @Inject migrations, which are not beans, would fail"
                + " when they run. Remove it: the starter finds the registry through "
                + FACTORY_SERVICE_FILE
                + " and passes beans to the migrations' constructors. No data migration was run.");
      }
    }
  }
}
