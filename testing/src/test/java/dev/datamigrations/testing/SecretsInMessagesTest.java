package dev.datamigrations.testing;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.datamigrations.testing.fixtures.MigrationRegistry;
import org.junit.jupiter.api.Test;

/** The kit's messages name the database they could not reach, never its password. */
class SecretsInMessagesTest {

  @Test
  void aDatabaseThatCannotBeReachedIsNamedWithoutItsPassword() {
    MigrationTestException failed =
        assertThrows(
            MigrationTestException.class,
            () ->
                MigrationTester.configure(new MigrationRegistry())
                    .url(
                        "jdbc:postgresql://app:hunter21@127.0.0.1:1/nowhere?password=hunter22",
                        "app",
                        "hunter23")
                    .build());

    String message = failed.getMessage();
    assertTrue(message.contains("127.0.0.1:1/nowhere"), message);
    assertFalse(message.contains("hunter2"), message);
  }
}
