package dev.datamigrations.spring.boot;

import dev.datamigrations.runtime.MigrationRunner;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;

/**
 * Adds the {@code datamigrations} actuator endpoint when the actuator is on the class path:
 * read-only unless {@code datamigrations.actuator.write-operations=true}. Exposed over HTTP like
 * any endpoint ({@code management.endpoints.web.exposure.include}).
 */
@AutoConfiguration(after = DataMigrationsAutoConfiguration.class)
@ConditionalOnClass(Endpoint.class)
@ConditionalOnBean(MigrationRunner.class)
public class DataMigrationsEndpointAutoConfiguration {

  @Bean
  @ConditionalOnMissingBean(DataMigrationsEndpoint.class)
  @ConditionalOnProperty(
      prefix = "datamigrations.actuator",
      name = "write-operations",
      havingValue = "true")
  DataMigrationsControlEndpoint dataMigrationsControlEndpoint(MigrationRunner runner) {
    return new DataMigrationsControlEndpoint(runner);
  }

  @Bean
  @ConditionalOnMissingBean(DataMigrationsEndpoint.class)
  DataMigrationsEndpoint dataMigrationsEndpoint(MigrationRunner runner) {
    return new DataMigrationsEndpoint(runner);
  }
}
