package dev.datamigrations.runtime;

import static dev.datamigrations.runtime.MigrationDescriptor.Reversibility.IRREVERSIBLE;
import static dev.datamigrations.runtime.MigrationDescriptor.Reversibility.REVERSIBLE;
import static dev.datamigrations.runtime.MigrationDescriptor.Transaction.NON_TRANSACTIONAL;
import static dev.datamigrations.runtime.MigrationDescriptor.Transaction.TRANSACTIONAL;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * A descriptor is complete and consistent whichever way it is made; the factories name what the
 * booleans meant.
 */
class MigrationDescriptorTest {

  @Test
  void migrationFactoryNamesTransactionAndReversibility() {
    MigrationDescriptor descriptor =
        MigrationDescriptor.migration(
            10L, "Update phones", "com.acme.UpdatePhones", NON_TRANSACTIONAL, REVERSIBLE);
    assertEquals(10L, descriptor.version());
    assertEquals("Update phones", descriptor.description());
    assertEquals("com.acme.UpdatePhones", descriptor.className());
    assertFalse(descriptor.transactional());
    assertTrue(descriptor.reversible());
    assertEquals(MigrationKind.MIGRATION, descriptor.kind());
    assertFalse(descriptor.backfill());
    assertEquals(NON_TRANSACTIONAL, descriptor.transaction());
    assertEquals(REVERSIBLE, descriptor.reversibility());
    assertEquals("10 (Update phones, com.acme.UpdatePhones)", descriptor.toString());
  }

  @Test
  void backfillFactoryIsNeverTransactional() {
    MigrationDescriptor descriptor =
        MigrationDescriptor.backfill(
            20250301120000L, "Fill names", "com.acme.FillNames", IRREVERSIBLE);
    assertTrue(descriptor.backfill());
    assertEquals(MigrationKind.BACKFILL, descriptor.kind());
    assertFalse(descriptor.transactional());
    assertFalse(descriptor.reversible());
    assertEquals(NON_TRANSACTIONAL, descriptor.transaction());
    assertEquals(IRREVERSIBLE, descriptor.reversibility());
  }

  @Test
  @SuppressWarnings(
      "deprecation") // the old constructors must keep working, and equal the factories' results
  void constructorsAndFactoriesAgree() {
    assertEquals(
        MigrationDescriptor.migration(1L, "One", "test.One", TRANSACTIONAL, IRREVERSIBLE),
        new MigrationDescriptor(1L, "One", "test.One", true, false));
    assertEquals(
        MigrationDescriptor.backfill(2L, "Two", "test.Two", REVERSIBLE),
        new MigrationDescriptor(2L, "Two", "test.Two", false, true, MigrationKind.BACKFILL));
  }

  @Test
  @SuppressWarnings("deprecation")
  void transactionalBackfillIsRefused() {
    assertRefused(
        () -> new MigrationDescriptor(3L, "Fill", "test.Fill", true, false, MigrationKind.BACKFILL),
        "MigrationDescriptor 3 (Fill, test.Fill): a backfill cannot be transactional: each of its batches runs in a"
            + " transaction of its own, so the backfill as a whole never does. Use MigrationDescriptor.backfill(...).");
  }

  @Test
  void versionMustBePositive() {
    assertRefused(
        () -> MigrationDescriptor.migration(0L, "Zero", "test.Zero", TRANSACTIONAL, IRREVERSIBLE),
        "MigrationDescriptor 0 (Zero, test.Zero): the version must be positive, was 0");
    assertRefused(
        () -> MigrationDescriptor.backfill(-4L, "Minus", "test.Minus", IRREVERSIBLE),
        "MigrationDescriptor -4 (Minus, test.Minus): the version must be positive, was -4");
  }

  @Test
  void descriptionMustBePresent() {
    assertRefused(
        () -> MigrationDescriptor.migration(5L, null, "test.Five", TRANSACTIONAL, IRREVERSIBLE),
        "MigrationDescriptor 5 (null, test.Five): the description must not be null or blank");
    assertRefused(
        () -> MigrationDescriptor.backfill(5L, " ", "test.Five", IRREVERSIBLE),
        "MigrationDescriptor 5 ( , test.Five): the description must not be null or blank");
  }

  @Test
  void classNameMustBePresent() {
    assertRefused(
        () -> MigrationDescriptor.migration(6L, "Six", null, TRANSACTIONAL, IRREVERSIBLE),
        "MigrationDescriptor 6 (Six, null): the class name must not be null or blank");
    assertRefused(
        () -> MigrationDescriptor.backfill(6L, "Six", "", IRREVERSIBLE),
        "MigrationDescriptor 6 (Six, ): the class name must not be null or blank");
  }

  @Test
  @SuppressWarnings("deprecation")
  void kindMustBePresent() {
    assertRefused(
        () -> new MigrationDescriptor(7L, "Seven", "test.Seven", true, false, null),
        "MigrationDescriptor 7 (Seven, test.Seven): the kind must not be null (MIGRATION or BACKFILL)");
  }

  @Test
  void namedArgumentsMustBePresent() {
    NullPointerException transaction =
        assertThrows(
            NullPointerException.class,
            () -> MigrationDescriptor.migration(8L, "Eight", "test.Eight", null, REVERSIBLE));
    assertEquals("transaction", transaction.getMessage());
    NullPointerException reversibility =
        assertThrows(
            NullPointerException.class,
            () -> MigrationDescriptor.backfill(8L, "Eight", "test.Eight", null));
    assertEquals("reversibility", reversibility.getMessage());
  }

  private static void assertRefused(Executable creation, String message) {
    IllegalArgumentException refused = assertThrows(IllegalArgumentException.class, creation);
    assertEquals(message, refused.getMessage());
  }
}
