package dev.datamigrations.spring.boot;

import dev.datamigrations.runtime.MigrationRunner;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * Adds {@link DataMigrationsMetrics} as a listener when Micrometer is on the class path. Runs
 * before the main auto-configuration so that the runner it builds hears it.
 */
@AutoConfiguration(before = DataMigrationsAutoConfiguration.class)
@ConditionalOnClass({MeterRegistry.class, MigrationRunner.class})
public class DataMigrationsMetricsAutoConfiguration {

  @Bean
  @ConditionalOnMissingBean
  DataMigrationsMetrics dataMigrationsMetrics(ObjectProvider<MeterRegistry> registries) {
    return new DataMigrationsMetrics(registries);
  }
}
