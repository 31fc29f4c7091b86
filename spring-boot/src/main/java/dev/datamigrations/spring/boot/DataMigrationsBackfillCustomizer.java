package dev.datamigrations.spring.boot;

import dev.datamigrations.runtime.backfill.BackfillSettings;

/**
 * Adjusts the backfill settings after the {@code datamigrations.*} properties were applied: a
 * health check of your own, a progress interval, anything the properties do not cover. Every bean
 * of this type is called, in {@link org.springframework.core.annotation.Order} order.
 */
@FunctionalInterface
public interface DataMigrationsBackfillCustomizer {

  /** Changes {@code builder} in place. */
  void customize(BackfillSettings.Builder builder);
}
