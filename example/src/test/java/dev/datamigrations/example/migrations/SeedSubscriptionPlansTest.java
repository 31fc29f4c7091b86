package dev.datamigrations.example.migrations;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.datamigrations.testing.DataMigrationsTest;
import dev.datamigrations.testing.MigrationTester;
import java.util.List;
import org.junit.jupiter.api.Test;

@DataMigrationsTest
class SeedSubscriptionPlansTest {
  private static final long VERSION = 20240915120000L;

  @Test
  void seedsThePlans(MigrationTester tester) {
    tester.migrateTo(VERSION);

    tester.useHandle(
        handle ->
            assertEquals(
                List.of("business", "free", "team"),
                handle.select("SELECT code FROM plans ORDER BY code").mapTo(String.class).list()));
  }

  @Test
  void downRemovesExactlyWhatUpAdded(MigrationTester tester) {
    tester
        .migrateBefore(VERSION)
        .seed(
            handle ->
                handle.execute(
                    "INSERT INTO plans (code, name, monthly_price_cents) VALUES ('legacy', 'Legacy', 500)"));

    tester.assertReversible(VERSION);
  }
}
