package dev.datamigrations.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.datamigrations.testing.fixtures.FillFullName;
import dev.datamigrations.testing.fixtures.SeedPlans;
import dev.datamigrations.testing.fixtures.ShopSchema;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The extension declared by its annotation: the catalog is the registry the processor registered
 * for ServiceLoader, each test gets a fresh H2 database, and {@code @BeforeEach} methods get the
 * test's tester.
 */
@DataMigrationsTest(schemaSetup = ShopSchema.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DataMigrationsExtensionTest {
  private static String firstTestsDatabase;
  private MigrationTester fromBeforeEach;

  @BeforeEach
  void seed(MigrationTester tester) {
    fromBeforeEach = tester;
    tester.migrateBefore(FillFullName.VERSION);
  }

  @Test
  @Order(1)
  void theTesterIsTheOneTheBeforeEachMethodSeeded(MigrationTester tester) {
    assertSame(fromBeforeEach, tester);
    tester.seed(
        h ->
            h.execute(
                "INSERT INTO customers (id, first_name, last_name, email) VALUES (1, 'Ada', 'Lovelace', 'a@x')"));
    tester.assertReversible(
        FillFullName.VERSION,
        h ->
            assertEquals(
                0,
                h.select("SELECT COUNT(*) FROM customers WHERE full_name IS NOT NULL")
                    .mapTo(Integer.class)
                    .one()),
        h ->
            assertEquals(
                "Ada Lovelace",
                h.select("SELECT full_name FROM customers").mapTo(String.class).one()));
    firstTestsDatabase = tester.toString();
  }

  @Test
  @Order(2)
  void eachTestHasAFreshDatabase(MigrationTester tester) {
    assertNotNull(firstTestsDatabase, "runs after the first test");
    assertNotEquals(firstTestsDatabase, tester.toString());
    assertEquals(
        0,
        (int)
            tester.withHandle(
                h -> h.select("SELECT COUNT(*) FROM customers").mapTo(Integer.class).one()));
    assertEquals(true, tester.isApplied(SeedPlans.VERSION));
  }
}
