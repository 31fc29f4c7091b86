package dev.datamigrations.example.migrations;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.datamigrations.testing.DataMigrationsTest;
import dev.datamigrations.testing.MigrationTester;
import java.util.List;
import org.junit.jupiter.api.Test;

@DataMigrationsTest
class DeleteQaTestAccountsTest {
  private static final long VERSION = 20240910170000L;

  @Test
  void deletesOnlyTheQaAccounts(MigrationTester tester) {
    tester
        .migrateBefore(VERSION)
        .seed(
            handle ->
                handle.execute(
                    "INSERT INTO customers (id, first_name, last_name, email, country_code) VALUES (8, 'Real', 'Person', 'real@example.test.com', 'US')"));

    tester.up(VERSION);

    tester.useHandle(
        handle ->
            assertEquals(
                List.of(1L, 2L, 3L, 4L, 5L, 8L),
                handle.select("SELECT id FROM customers ORDER BY id").mapTo(Long.class).list()));
  }

  @Test
  void canRunAgain(MigrationTester tester) {
    tester.assertIdempotent(VERSION);
  }
}
