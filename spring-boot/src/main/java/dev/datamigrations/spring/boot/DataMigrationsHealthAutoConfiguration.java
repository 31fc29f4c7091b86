package dev.datamigrations.spring.boot;

import dev.datamigrations.runtime.MigrationRunner;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * Adds the {@code dataMigrations} health indicator on Spring Boot 4 ({@code spring-boot-health} on
 * the class path); its state shows under {@code /actuator/health}.
 */
@AutoConfiguration(after = DataMigrationsAutoConfiguration.class)
@ConditionalOnClass(name = "org.springframework.boot.health.contributor.HealthIndicator")
@ConditionalOnBean({MigrationRunner.class, FailureRecorder.class})
public class DataMigrationsHealthAutoConfiguration {

  @Bean
  @ConditionalOnMissingBean(name = "dataMigrationsHealthIndicator")
  DataMigrationsHealthIndicator dataMigrationsHealthIndicator(
      MigrationRunner runner, FailureRecorder failures) {
    return new DataMigrationsHealthIndicator(runner, failures);
  }
}
