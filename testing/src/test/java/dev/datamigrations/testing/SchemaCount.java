package dev.datamigrations.testing;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * Counts the schemas (MariaDB: databases) of a name, through information_schema, which all three
 * databases have.
 */
final class SchemaCount {
  private SchemaCount() {}

  static int of(Connection connection, String name) throws SQLException {
    try (PreparedStatement statement =
        connection.prepareStatement(
            "SELECT COUNT(*) FROM information_schema.schemata WHERE schema_name = ?")) {
      statement.setString(1, name);
      try (ResultSet result = statement.executeQuery()) {
        result.next();
        return result.getInt(1);
      }
    }
  }
}
