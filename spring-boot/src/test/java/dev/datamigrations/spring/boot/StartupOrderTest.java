package dev.datamigrations.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Data migrations run after the schema tool (Flyway, Liquibase, or Boot's SQL scripts) and before
 * the beans that depend on database initialization: a bean reading through {@code JdbcTemplate} at
 * start-up sees the migrated data.
 */
class StartupOrderTest {

  @Test
  void runsAfterFlywayAndBeforeJdbcTemplateUsers() {
    assertStartsMigrated("spring.flyway.enabled=true");
  }

  @Test
  void runsAfterLiquibaseAndBeforeJdbcTemplateUsers() {
    assertStartsMigrated("spring.liquibase.enabled=true");
  }

  @Test
  void runsAfterSqlScriptsWithNeitherFlywayNorLiquibase() {
    assertStartsMigrated(
        "spring.sql.init.mode=always",
        "spring.sql.init.schema-locations=classpath:plain/schema.sql");
  }

  private static void assertStartsMigrated(String... properties) {
    try (ConfigurableApplicationContext context = TestApp.start(TestApp.newH2(), properties)) {
      assertThat(context.getBean(TestApp.CustomersAtStartup.class).names())
          .containsExactly("ADA", "LINUS");
      JdbcTemplate jdbc = context.getBean(JdbcTemplate.class);
      assertThat(
              jdbc.queryForList("SELECT version FROM data_migrations ORDER BY version", Long.class))
          .isEqualTo(List.of(20250101000000L, 20250102000000L));
    }
  }
}
