package dev.datamigrations.example.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The example with the "postgres" profile, in a schema of its own in {@code
 * $DATAMIGRATIONS_TEST_PG_DB} (default {@code test}). Skips when PostgreSQL is unreachable unless
 * {@code CI=true}.
 */
@SpringBootTest
@ActiveProfiles("postgres")
class ExamplePostgresTest {
  private static final String DATABASE =
      System.getenv().getOrDefault("DATAMIGRATIONS_TEST_PG_DB", "").isBlank()
          ? "test"
          : System.getenv("DATAMIGRATIONS_TEST_PG_DB");
  private static final String SERVER = "jdbc:postgresql://127.0.0.1:5432/" + DATABASE;
  private static final String SCHEMA =
      "example_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);

  @DynamicPropertySource
  static void schema(DynamicPropertyRegistry properties) {
    execute("CREATE SCHEMA " + SCHEMA);
    properties.add("spring.datasource.url", () -> SERVER + "?currentSchema=" + SCHEMA);
  }

  @AfterAll
  static void dropSchema() {
    execute("DROP SCHEMA " + SCHEMA + " CASCADE");
  }

  private static void execute(String sql) {
    try (Connection connection = DriverManager.getConnection(SERVER, "postgres", "");
        Statement statement = connection.createStatement()) {
      statement.execute(sql);
    } catch (SQLException e) {
      if ("true".equalsIgnoreCase(System.getenv("CI"))) {
        fail("PostgreSQL at " + SERVER + " is required (CI=true) but failed: " + e.getMessage(), e);
      }
      assumeTrue(false, "PostgreSQL at " + SERVER + " is unreachable: " + e.getMessage());
    }
  }

  @Autowired CustomerDirectory directory;
  @Autowired JdbcTemplate jdbc;

  @Test
  void migratesOnPostgresAndJpaSeesIt() {
    assertThat(directory.customers()).extracting(Customer::getEmail).contains("ada@example.com");
    assertThat(directory.customers()).extracting(Customer::getFullName).contains("Grace Hopper");
    assertThat(
            jdbc.queryForList("SELECT version FROM data_migrations ORDER BY version", Long.class))
        .containsExactly(20250110090000L, 20250111090000L);
  }
}
