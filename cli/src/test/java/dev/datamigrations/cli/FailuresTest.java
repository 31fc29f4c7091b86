package dev.datamigrations.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.datamigrations.runtime.DataMigrationException;
import dev.datamigrations.runtime.Direction;
import dev.datamigrations.runtime.IrreversibleMigrationException;
import dev.datamigrations.runtime.MigrationDescriptor;
import dev.datamigrations.runtime.MigrationDescriptor.Reversibility;
import dev.datamigrations.runtime.MigrationDescriptor.Transaction;
import dev.datamigrations.runtime.MigrationExecution;
import dev.datamigrations.runtime.MigrationFailedException;
import dev.datamigrations.runtime.MigrationLockException;
import dev.datamigrations.runtime.MigrationNotAppliedException;
import dev.datamigrations.runtime.OutOfOrderMigrationException;
import dev.datamigrations.runtime.RollbackOutcome;
import dev.datamigrations.runtime.UnknownMigrationVersionException;
import dev.datamigrations.runtime.backfill.BackfillCancelledException;
import dev.datamigrations.runtime.backfill.BackfillKeyException;
import dev.datamigrations.runtime.backfill.BackfillProgress;
import dev.datamigrations.runtime.backfill.BackfillState;
import dev.datamigrations.runtime.backfill.BackfillStateException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link Failures}: each exception type gets its documented exit code and message, whatever its
 * text says; a failure after something was applied gets {@link ExitCodes#PARTLY_APPLIED} over every
 * type's code.
 */
class FailuresTest {
  private static final MigrationDescriptor SEED =
      MigrationDescriptor.migration(
          1L, "Seed", "test.Seed", Transaction.TRANSACTIONAL, Reversibility.IRREVERSIBLE);
  private static final MigrationDescriptor FILL =
      MigrationDescriptor.backfill(2L, "Fill", "test.Fill", Reversibility.IRREVERSIBLE);
  private static final BackfillProgress CANCELLED =
      new BackfillProgress(
          2L,
          BackfillState.CANCELLED,
          10,
          100,
          1,
          10,
          Instant.EPOCH,
          Instant.EPOCH,
          5.0,
          null,
          Duration.ZERO);

  private static void assertFailure(int exitCode, String message, Throwable e) {
    assertEquals(new Failures.Failure(exitCode, message), Failures.describe(e));
  }

  @Test
  void eachTypeHasItsExitCodeAndMessage() {
    MigrationFailedException failed =
        new MigrationFailedException(
            SEED, Direction.UP, RollbackOutcome.ROLLED_BACK, new IllegalStateException("x"));
    assertFailure(ExitCodes.MIGRATION_FAILED, "Error: " + failed.getMessage(), failed);
    assertFailure(
        ExitCodes.LOCK_TIMEOUT,
        "Error: Lock not taken in 1 s. On the command line: let the other run finish, or raise --lock-timeout."
            + " Nothing was changed.",
        new MigrationLockException("Lock not taken in 1 s."));
    assertFailure(
        ExitCodes.USAGE,
        "Error: Out of order. On the command line: apply them with up VERSION, or run migrate without"
            + " --refuse-out-of-order. Nothing was changed.",
        new OutOfOrderMigrationException("Out of order."));
    assertFailure(
        ExitCodes.USAGE,
        "Error: Unknown.",
        new UnknownMigrationVersionException("Unknown.", 9L, java.util.List.of(1L, 2L)));
    assertFailure(
        ExitCodes.USAGE,
        "Error: No down.",
        new IrreversibleMigrationException("No down.", 1L, "com.acme.Seed"));
    assertFailure(
        ExitCodes.USAGE,
        "Error: Not applied.",
        new MigrationNotAppliedException("Not applied.", 1L));
    BackfillCancelledException cancelled = new BackfillCancelledException(FILL, CANCELLED);
    assertFailure(ExitCodes.BACKFILL_NOT_DONE, "Error: " + cancelled.getMessage(), cancelled);
    assertFailure(ExitCodes.USAGE, "Error: It is done.", new BackfillStateException("It is done."));
    assertFailure(ExitCodes.USAGE, "Error: Bad.", new ConfigurationException("Bad."));
    // Subtypes without a row of their own take their base type's.
    assertFailure(
        ExitCodes.MIGRATION_FAILED, "Error: No key.", new BackfillKeyException(FILL, "No key."));
    assertFailure(
        ExitCodes.MIGRATION_FAILED, "Error: Other.", new DataMigrationException("Other."));
    assertFailure(
        ExitCodes.MIGRATION_FAILED,
        "Error: java.lang.IllegalStateException: bug (run again with --verbose for the stack trace)",
        new IllegalStateException("bug"));
  }

  @Test
  void theTypeDecidesNotTheText() {
    // A message that reads like another failure's does not borrow its code.
    assertFailure(
        ExitCodes.USAGE,
        "Error: Lock timeout: another run holds the lock.",
        new UnknownMigrationVersionException(
            "Lock timeout: another run holds the lock.", 9L, java.util.List.of(1L, 2L)));
    assertFailure(
        ExitCodes.MIGRATION_FAILED,
        "Error: java.lang.RuntimeException: Backfill 2 was cancelled (run again with --verbose for the stack trace)",
        new RuntimeException("Backfill 2 was cancelled"));
  }

  @Test
  void partlyAppliedWinsOverEveryTypesCode() {
    List<MigrationExecution> applied =
        List.of(new MigrationExecution(SEED, Direction.UP, Duration.ofMillis(5)));
    for (DataMigrationException e :
        List.of(
            new MigrationFailedException(
                SEED, Direction.UP, RollbackOutcome.ROLLED_BACK, new IllegalStateException()),
            new MigrationLockException("Lock not taken in 1 s."),
            new OutOfOrderMigrationException("Out of order."),
            new BackfillCancelledException(FILL, CANCELLED),
            new BackfillStateException("It is done."),
            new DataMigrationException("Other."))) {
      e.addCompletedBefore(applied);
      Failures.Failure failure = Failures.describe(e);
      assertEquals(ExitCodes.PARTLY_APPLIED, failure.exitCode(), e.getClass().getName());
      // The runtime's message lists what stays applied; "Nothing was changed" would be false.
      assertEquals(
          true,
          failure.message().contains("Before this failure, this run applied"),
          failure.message());
      assertEquals(false, failure.message().contains("Nothing was changed"), failure.message());
    }
  }

  @Test
  void secretsAreMasked() {
    assertEquals(
        "Error: Cannot reach db with *** (no).",
        Failures.describe(
                new ConfigurationException("Cannot reach db with hunter2x (no)."), "hunter2x")
            .message());
  }
}
