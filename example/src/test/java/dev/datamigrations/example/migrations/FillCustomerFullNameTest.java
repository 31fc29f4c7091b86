package dev.datamigrations.example.migrations;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.datamigrations.testing.DataMigrationsTest;
import dev.datamigrations.testing.MigrationTester;
import java.util.List;
import org.jdbi.v3.core.Handle;
import org.junit.jupiter.api.Test;

@DataMigrationsTest
class FillCustomerFullNameTest {
  private static final long VERSION = 20240901093000L;

  private static List<String> fullNames(Handle handle) {
    return handle
        .select("SELECT COALESCE(full_name, '-') FROM customers WHERE id IN (1, 2) ORDER BY id")
        .mapTo(String.class)
        .list();
  }

  @Test
  void fillsFullNamesAndDownEmptiesThemAgain(MigrationTester tester) {
    tester.assertReversible(
        VERSION,
        handle -> assertEquals(List.of("-", "-"), fullNames(handle)),
        handle -> assertEquals(List.of("Ada Lovelace", "Grace Hopper"), fullNames(handle)));
  }

  @Test
  void keepsAFullNameThatIsAlreadyThere(MigrationTester tester) {
    tester
        .migrateBefore(VERSION)
        .seed(
            handle ->
                handle.execute(
                    "UPDATE customers SET full_name = 'Countess of Lovelace' WHERE id = 1"));

    tester.up(VERSION);

    tester.useHandle(
        handle -> assertEquals(List.of("Countess of Lovelace", "Grace Hopper"), fullNames(handle)));
  }

  @Test
  void canRunAgain(MigrationTester tester) {
    tester.assertIdempotent(VERSION, "customers");
  }
}
