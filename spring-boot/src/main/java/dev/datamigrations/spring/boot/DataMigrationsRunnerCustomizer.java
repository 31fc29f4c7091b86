package dev.datamigrations.spring.boot;

import dev.datamigrations.runtime.MigrationRunner;

/**
 * Adjusts the runner's builder after the {@code datamigrations.*} properties were applied: a health
 * check of your own, a listener, anything the properties do not cover. Every bean of this type is
 * called, in {@link org.springframework.core.annotation.Order} order.
 */
@FunctionalInterface
public interface DataMigrationsRunnerCustomizer {

  /** Changes {@code builder} in place. */
  void customize(MigrationRunner.Builder builder);
}
