package dev.datamigrations.spring.boot;

import dev.datamigrations.runtime.MigrationCatalog;
import dev.datamigrations.runtime.MigrationDescriptor;
import java.lang.reflect.Constructor;
import java.util.Arrays;
import org.springframework.beans.BeansException;
import org.springframework.beans.factory.BeanCurrentlyInCreationException;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.beans.factory.config.DependencyDescriptor;
import org.springframework.core.DefaultParameterNameDiscoverer;
import org.springframework.core.MethodParameter;

/**
 * Resolves, at start-up and before any data migration runs (whatever the mode, and for applied versions too), the
 * constructor arguments of every migration that {@link InjectedMigrationsRegistrar} made a bean, so that a missing
 * or ambiguous bean fails start-up naming the migration and the parameter instead of failing when that migration
 * is about to run. Creates the argument beans (as the migration's creation would) but not the migrations.
 */
final class InjectedMigrationsCheck {
  private static final String[] INJECT = {"jakarta.inject.Inject", "javax.inject.Inject"};

  private InjectedMigrationsCheck() {}

  /**
   * Checks the migrations of {@code catalog} that are beans of {@code beanFactory}.
   *
   * @throws IllegalStateException naming the migration, the parameter and its type, if a parameter cannot be
   *     resolved
   */
  static void check(ConfigurableListableBeanFactory beanFactory, MigrationCatalog catalog) {
    for (MigrationDescriptor migration : catalog.descriptors()) {
      String name = migration.className();
      if (!beanFactory.containsBeanDefinition(name)) {
        continue; // created with new by the registry
      }
      Class<?> type = beanFactory.getType(name, false);
      if (type == null) {
        continue; // not loadable: Spring says why when the registry asks for it
      }
      Constructor<?> constructor = injectConstructor(type);
      if (constructor == null) {
        continue;
      }
      for (int i = 0; i < constructor.getParameterCount(); i++) {
        MethodParameter parameter = new MethodParameter(constructor, i);
        parameter.initParameterNameDiscovery(new DefaultParameterNameDiscoverer());
        try {
          beanFactory.resolveDependency(new DependencyDescriptor(parameter, true), name);
        } catch (BeansException e) {
          String fix =
              e.contains(BeanCurrentlyInCreationException.class)
                  ? "That bean depends on database initialization (as JdbcTemplate and JPA do), so it is created"
                      + " only after the data migrations ran: use the migration's Handle, or a bean that does not."
                  : "Declare that bean (one, or mark one @Primary), or take it out of the constructor.";
          throw new IllegalStateException(
              "Data migration "
                  + migration
                  + " cannot be created: "
                  + describe(parameter)
                  + " of its @Inject constructor cannot be resolved from the application context ("
                  + e.getMostSpecificCause().getMessage()
                  + "). "
                  + fix
                  + " No data migration was run.",
              e);
        }
      }
    }
  }

  private static Constructor<?> injectConstructor(Class<?> type) {
    for (Constructor<?> constructor : type.getConstructors()) {
      if (Arrays.stream(constructor.getAnnotations())
          .anyMatch(a -> Arrays.asList(INJECT).contains(a.annotationType().getName()))) {
        return constructor;
      }
    }
    return null;
  }

  /** Returns {@code parameter 'clock' (java.time.Clock)}, or its position when compiled without -parameters. */
  private static String describe(MethodParameter parameter) {
    String type = parameter.getGenericParameterType().getTypeName();
    String name = parameter.getParameterName();
    return name == null
        ? "parameter " + (parameter.getParameterIndex() + 1) + " (" + type + "; compile with -parameters to see its name)"
        : "parameter '" + name + "' (" + type + ")";
  }
}
