package dev.datamigrations.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.datamigrations.testing.fixtures.MigrationRegistry;
import java.sql.Connection;
import java.sql.SQLException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The contract on a server the user brings (as a Testcontainers container would be): a schema per
 * test.
 */
class PostgresMigrationTesterTest extends MigrationTesterContract {
  private static final ServerDatabase SERVER = ServerDatabase.postgres();

  @Override
  @BeforeEach
  void buildTester() {
    SERVER.assumeReachable();
    super.buildTester();
  }

  @Override
  MigrationTester.Builder configure() {
    return MigrationTester.configure(new MigrationRegistry())
        .url(SERVER.url(), SERVER.user(), SERVER.password());
  }

  @Test
  void theSchemaIsDroppedWhenTheTesterIsClosed() throws SQLException {
    String schema;
    try (Connection connection = SERVER.connect()) {
      try (MigrationTester other = configure().build()) {
        schema = other.schema();
        assertTrue(schema.startsWith("dm_test_"), schema);
        assertEquals(1, SchemaCount.of(connection, schema));
      }
      assertEquals(0, SchemaCount.of(connection, schema));
    }
  }
}
