package dev.datamigrations.spring.boot;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Leaves every data migration pending at start-up, for the console to run. */
@Configuration(proxyBeanMethods = false)
class NoMigrationAtStartup {
  @Bean
  DataMigrationsStrategy leaveEverythingPending() {
    return runner -> {};
  }
}
