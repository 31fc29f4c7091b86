package dev.datamigrations.spring.boot.actuator3;

import dev.datamigrations.runtime.MigrationRunner;
import dev.datamigrations.spring.boot.DataMigrationsAutoConfiguration;
import dev.datamigrations.spring.boot.FailureRecorder;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * Adds the {@code dataMigrations} health indicator on Spring Boot 3 (the actuator's {@code
 * org.springframework.boot.actuate.health} package on the class path, which Boot 4 no longer has);
 * its state shows under {@code /actuator/health}. Boot 4 gets its own from {@code
 * datamigrations-spring-boot}.
 */
@AutoConfiguration(after = DataMigrationsAutoConfiguration.class)
@ConditionalOnClass(name = "org.springframework.boot.actuate.health.HealthIndicator")
@ConditionalOnBean({MigrationRunner.class, FailureRecorder.class})
public class DataMigrationsBoot3HealthAutoConfiguration {

  @Bean
  @ConditionalOnMissingBean(name = "dataMigrationsHealthIndicator")
  DataMigrationsBoot3HealthIndicator dataMigrationsHealthIndicator(
      MigrationRunner runner, FailureRecorder failures) {
    return new DataMigrationsBoot3HealthIndicator(runner, failures);
  }
}
