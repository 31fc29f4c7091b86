package dev.datamigrations.runtime.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.datamigrations.runtime.DataMigrationException;
import dev.datamigrations.runtime.Migration;
import dev.datamigrations.runtime.MigrationCatalog;
import dev.datamigrations.runtime.MigrationDescriptor;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

/** The database-independent parts: dialect detection, quoting, version lists. */
class DialectAndCatalogTest {

  @Test
  void detectsDialectsFromProductNames() {
    assertEquals(Dialect.H2, Dialect.detect("H2"));
    assertEquals(Dialect.POSTGRESQL, Dialect.detect("PostgreSQL"));
    assertEquals(Dialect.MYSQL, Dialect.detect("MySQL"));
    assertEquals(Dialect.MYSQL, Dialect.detect("MariaDB"));
    assertEquals(Dialect.SQLITE, Dialect.detect("SQLite"));
    assertEquals(Dialect.GENERIC, Dialect.detect("Apache Derby"));
    assertEquals(Dialect.GENERIC, Dialect.detect(null));
  }

  @Test
  void quotesPerDatabaseInTheCaseItGivesUnquotedNames() {
    TableName name = TableName.ofHistory("app", "Data_Migrations");
    assertEquals("`app`.`Data_Migrations`", name.sql(Dialect.MYSQL));
    assertEquals("\"app\".\"data_migrations\"", name.sql(Dialect.POSTGRESQL));
    assertEquals(
        "\"DATA_MIGRATIONS_LOCK\"",
        TableName.ofHistory(null, "data_migrations").lockTable().sql(Dialect.H2));
    assertTrue(
        Dialect.GENERIC
            .historyTableDdl(name)
            .startsWith("CREATE TABLE \"app\".\"Data_Migrations\" ("));
  }

  @Test
  void rejectsIdentifiersThatAreNotPlain() {
    for (String bad : List.of("", "1abc", "a-b", "a b", "a\"b", "a`b", "a;b", "ä")) {
      assertThrows(DataMigrationException.class, () -> TableName.ofHistory(null, bad), bad);
      assertThrows(DataMigrationException.class, () -> TableName.ofHistory(bad, "t"), bad);
    }
  }

  @Test
  void listsManyKnownVersionsShortly() {
    CatalogIndex index = new CatalogIndex(catalog(LongStream.rangeClosed(1, 100).boxed().toList()));
    String known = index.knownVersions();
    assertTrue(known.startsWith("1, 2, 3"), known);
    assertTrue(known.contains("... (80 more)"), known);
    assertTrue(known.endsWith("99, 100"), known);
  }

  @Test
  void rejectsDuplicateVersions() {
    DataMigrationException duplicate =
        assertThrows(
            DataMigrationException.class, () -> new CatalogIndex(catalog(List.of(1L, 2L, 2L))));
    assertTrue(duplicate.getMessage().contains("version 2 is used twice"), duplicate.getMessage());
  }

  private static MigrationCatalog catalog(List<Long> versions) {
    return new MigrationCatalog() {
      @Override
      public List<MigrationDescriptor> descriptors() {
        return versions.stream()
            .map(v -> new MigrationDescriptor(v, "M" + v, "test.M" + v + "_" + v, true, false))
            .toList();
      }

      @Override
      public Migration instantiate(int index) {
        return handle -> {};
      }
    };
  }
}
