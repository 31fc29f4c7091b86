package dev.datamigrations.testing;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import javax.sql.DataSource;

/**
 * Builds the schema the data migrations need, in the tester's database or schema, before the first
 * migration runs: typically your schema tool, {@code dataSource ->
 * Flyway.configure().dataSource(dataSource).load().migrate()}. The data source's connections start
 * in the test's schema. A class named by {@link DataMigrationsTest#schemaSetup} needs a public
 * no-argument constructor.
 */
@FunctionalInterface
public interface SchemaSetup {

  /** Creates the tables (and anything else) of the schema on {@code dataSource}. */
  void apply(DataSource dataSource) throws Exception;

  /** Returns a set-up that runs {@code statements} one after the other, in auto-commit. */
  static SchemaSetup sql(String... statements) {
    List<String> all = List.of(statements);
    return dataSource -> {
      try (Connection connection = dataSource.getConnection();
          Statement statement = connection.createStatement()) {
        for (String sql : all) {
          try {
            statement.execute(sql);
          } catch (SQLException e) {
            throw new SQLException(
                "Schema set-up statement failed: " + sql + ": " + e.getMessage(),
                e.getSQLState(),
                e);
          }
        }
      }
    };
  }
}
