package dev.datamigrations.example.migrations;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.datamigrations.testing.DataMigrationsTest;
import dev.datamigrations.testing.MigrationTestException;
import dev.datamigrations.testing.MigrationTester;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * An irreversible migration built by Dagger (it needs the phone formatter): tested with up and
 * checks.
 */
@DataMigrationsTest
class NormalizePhoneNumbersTest {
  private static final long VERSION = 20240831020834L;

  @Test
  void rewritesHandTypedNumbersInE164(MigrationTester tester) {
    tester
        .migrateBefore(VERSION)
        .seed(
            handle ->
                handle.execute("UPDATE customers SET phone = '+1 (415) 555-0100' WHERE id = 5"));

    tester.up(VERSION);

    tester.useHandle(
        handle ->
            assertEquals(
                List.of(
                    "+442079460958",
                    "+12025550143",
                    "+442079460018",
                    "+31205550199",
                    "+14155550100",
                    "+15550000"),
                handle
                    .select("SELECT phone FROM customers WHERE phone IS NOT NULL ORDER BY id")
                    .mapTo(String.class)
                    .list()));
  }

  @Test
  void cannotBeTestedAsReversible(MigrationTester tester) {
    MigrationTestException refused =
        assertThrows(MigrationTestException.class, () -> tester.assertReversible(VERSION));
    assertTrue(refused.getMessage().contains("it is irreversible"), refused.getMessage());
  }
}
