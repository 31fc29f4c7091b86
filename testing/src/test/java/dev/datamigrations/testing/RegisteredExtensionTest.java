package dev.datamigrations.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.datamigrations.testing.fixtures.MigrationRegistry;
import dev.datamigrations.testing.fixtures.SeedPlans;
import dev.datamigrations.testing.fixtures.ShopSchema;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The extension registered with a database of the user's, as a Testcontainers user would: each test
 * runs in a schema of its own, created before it and dropped after it.
 */
class RegisteredExtensionTest {
  private static final String URL = "jdbc:h2:mem:kit_registered_extension";
  private static Connection keepAlive;

  @RegisterExtension
  static final DataMigrationsExtension MIGRATIONS =
      DataMigrationsExtension.of(
          () ->
              MigrationTester.configure(new MigrationRegistry())
                  .url(URL, "sa", "")
                  .schemaSetup(new ShopSchema()));

  @BeforeAll
  static void open() throws SQLException {
    keepAlive = DriverManager.getConnection(URL, "sa", "");
  }

  @AfterAll
  static void noSchemaIsLeftBehind() throws SQLException {
    try {
      assertEquals(0, countTestSchemas(), "every test's schema was dropped");
    } finally {
      keepAlive.close();
    }
  }

  private static int countTestSchemas() throws SQLException {
    var result =
        keepAlive
            .createStatement()
            .executeQuery(
                "SELECT COUNT(*) FROM information_schema.schemata WHERE schema_name LIKE 'DM_TEST_%'");
    result.next();
    return result.getInt(1);
  }

  @RepeatedTest(2)
  void eachRepetitionStartsInAnEmptySchemaOfItsOwn(MigrationTester tester) throws SQLException {
    assertTrue(tester.schema().startsWith("dm_test_"), tester.schema());
    assertEquals(1, countTestSchemas(), "only this test's schema exists");
    assertEquals(
        0,
        (int)
            tester.withHandle(
                h -> h.select("SELECT COUNT(*) FROM plans").mapTo(Integer.class).one()));
    tester.migrateTo(SeedPlans.VERSION);
    assertEquals(
        2,
        (int)
            tester.withHandle(
                h -> h.select("SELECT COUNT(*) FROM plans").mapTo(Integer.class).one()));
  }
}
