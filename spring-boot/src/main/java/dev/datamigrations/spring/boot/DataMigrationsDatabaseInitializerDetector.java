package dev.datamigrations.spring.boot;

import java.util.Set;
import org.springframework.boot.sql.init.dependency.AbstractBeansOfTypeDatabaseInitializerDetector;
import org.springframework.core.Ordered;

/**
 * Tells Boot that {@link DataMigrationsInitializer} beans initialize the database. Boot makes every
 * initializer found by a detector of higher order depend on those of lower order, and every bean
 * that depends on database initialization depend on all of them; this order comes after Flyway's
 * (1), Liquibase's (0) and the SQL scripts' ({@code Ordered.LOWEST_PRECEDENCE - 100}), so data
 * migrations see the final schema and seed data. Registered in {@code META-INF/spring.factories}.
 */
public class DataMigrationsDatabaseInitializerDetector
    extends AbstractBeansOfTypeDatabaseInitializerDetector {
  /** After every schema initializer Boot ships. */
  static final int ORDER = Ordered.LOWEST_PRECEDENCE - 50;

  @Override
  protected Set<Class<?>> getDatabaseInitializerBeanTypes() {
    return Set.of(DataMigrationsInitializer.class);
  }

  @Override
  public int getOrder() {
    return ORDER;
  }
}
