package dev.datamigrations.spring.boot;

import dev.datamigrations.runtime.MigrationDependencies;
import dev.datamigrations.runtime.MigrationDependency;
import java.util.List;
import org.springframework.beans.BeansException;
import org.springframework.beans.factory.BeanCurrentlyInCreationException;
import org.springframework.beans.factory.ListableBeanFactory;

/**
 * Supplies injected migrations' constructor arguments from the application context, by the class
 * the processor wrote for each parameter ({@link MigrationDependency#type()}): the generated
 * factory calls {@link #get} and creates the migration with {@code new}, so Spring never reads or
 * constructs a migration class. {@link #check} resolves every argument at start-up, before any data
 * migration runs.
 */
final class BeanDependencies implements MigrationDependencies {
  private final ListableBeanFactory beanFactory;

  BeanDependencies(ListableBeanFactory beanFactory) {
    this.beanFactory = beanFactory;
  }

  /**
   * Resolves every dependency, creating the beans as the migrations' creation would (but not the
   * migrations), so that a missing, ambiguous, generic or qualified one fails start-up instead of
   * the migration's run (or, for a qualified one, instead of silently getting another bean).
   *
   * @throws IllegalStateException naming the migration, the parameter and its type, for the first
   *     that cannot be resolved
   */
  void check(List<MigrationDependency> dependencies) {
    for (MigrationDependency dependency : dependencies) {
      if (dependency.generic()) {
        throw new IllegalStateException(
            cannotBeCreated(dependency)
                + " has a generic type: the generated code can ask only for its class ("
                + dependency.type().getName()
                + "), and a bean of that class may have other type arguments. Take a non-generic type (e.g. a"
                + " class of your own that holds it), or declare a MigrationCatalog bean made with"
                + " MigrationRegistry.withDependencies(...). No data migration was run.");
      }
      if (dependency.qualifier() != null) {
        throw new IllegalStateException(
            cannotBeCreated(dependency)
                + " has the qualifier "
                + dependency.qualifier()
                + ": the generated code asks the context only for its class ("
                + dependency.type().getName()
                + "), so the qualifier would be ignored and the one (or @Primary) bean passed instead. Take a type"
                + " that names the bean you mean (e.g. a class of your own that holds it), or declare a"
                + " MigrationCatalog bean made with MigrationRegistry.withDependencies(...). No data migration was"
                + " run.");
      }
      try {
        get(dependency);
      } catch (UnresolvableDependencyException e) {
        throw new IllegalStateException(
            e.getMessage() + " No data migration was run.", e.getCause());
      }
    }
  }

  /**
   * Returns the one bean of {@code dependency.type()} (or the {@code @Primary} one).
   *
   * @throws UnresolvableDependencyException naming the migration and the parameter, if there is
   *     none, several, or it cannot be created
   */
  @Override
  public Object get(MigrationDependency dependency) {
    try {
      return beanFactory.getBeanProvider(dependency.type()).getObject();
    } catch (BeansException e) {
      String fix =
          e.contains(BeanCurrentlyInCreationException.class)
              ? "That bean depends on database initialization (as JdbcTemplate and JPA do), so it is created"
                  + " only after the data migrations ran: use the migration's Handle, or a bean that does not."
              : "Declare that bean (one, or mark one @Primary), or take it out of the constructor.";
      throw new UnresolvableDependencyException(
          cannotBeCreated(dependency)
              + " cannot be resolved from the application context ("
              + e.getMostSpecificCause().getMessage()
              + "). "
              + fix,
          e);
    }
  }

  private static String cannotBeCreated(MigrationDependency dependency) {
    return "Data migration "
        + dependency.migration()
        + " cannot be created: parameter '"
        + dependency.parameter()
        + "' ("
        + dependency.typeName()
        + ") of its @Inject constructor";
  }

  /**
   * A dependency that the context cannot supply; the message names the migration and the parameter.
   */
  static final class UnresolvableDependencyException extends IllegalStateException {
    UnresolvableDependencyException(String message, Throwable cause) {
      super(message, cause);
    }
  }
}
