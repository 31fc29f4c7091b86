package dev.datamigrations.testing;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.datamigrations.testing.fixtures.MigrationRegistry;
import java.sql.DriverManager;
import java.sql.SQLException;
import org.junit.jupiter.api.Test;

/**
 * The contract on the default database: H2 in memory, one database per tester, gone when it is
 * closed.
 */
class H2MigrationTesterTest extends MigrationTesterContract {

  @Override
  MigrationTester.Builder configure() {
    return MigrationTester.configure(new MigrationRegistry());
  }

  @Test
  void theDatabaseIsGoneWhenTheTesterIsClosed() {
    MigrationTester closed = configure().build();
    String url = closed.toString().replaceAll(".*\\((jdbc:h2:mem:[^;]+);.*", "$1");
    assertNull(closed.schema());
    closed.close();

    assertThrows(
        SQLException.class,
        () -> DriverManager.getConnection(url + ";IFEXISTS=TRUE", "sa", "").close());
  }
}
