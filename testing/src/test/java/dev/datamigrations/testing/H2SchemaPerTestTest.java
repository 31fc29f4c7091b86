package dev.datamigrations.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.datamigrations.testing.fixtures.MigrationRegistry;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The contract on a database of the user's (here an H2 one shared by every test): a schema per
 * test.
 */
class H2SchemaPerTestTest extends MigrationTesterContract {
  private static final String URL = "jdbc:h2:mem:kit_shared_h2";
  private static Connection keepAlive;

  @BeforeAll
  static void open() throws SQLException {
    keepAlive = DriverManager.getConnection(URL, "sa", "");
  }

  @AfterAll
  static void close() throws SQLException {
    keepAlive.close();
  }

  @Override
  MigrationTester.Builder configure() {
    return MigrationTester.configure(new MigrationRegistry()).url(URL, "sa", "");
  }

  @Test
  void theSchemaIsDroppedWhenTheTesterIsClosed() throws SQLException {
    String schema;
    try (MigrationTester other = configure().build()) {
      schema = other.schema();
      assertTrue(schema.startsWith("dm_test_"), schema);
      assertEquals(1, SchemaCount.of(keepAlive, schema.toUpperCase(java.util.Locale.ROOT)));
    }
    assertEquals(0, SchemaCount.of(keepAlive, schema.toUpperCase(java.util.Locale.ROOT)));
  }
}
