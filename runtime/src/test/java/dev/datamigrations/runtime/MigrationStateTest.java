package dev.datamigrations.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * {@link MigrationState#inHistory()} is true exactly for the states with a history row: a pending
 * version has none, nor has a backfill that started and is not done (running, cancelled, failed),
 * whose state is in the backfill's own table.
 */
class MigrationStateTest {

  @Test
  void onlyPendingAndUnfinishedBackfillsHaveNoHistoryRow() {
    assertEquals(
        EnumSet.of(
            MigrationState.PENDING,
            MigrationState.RUNNING,
            MigrationState.CANCELLED,
            MigrationState.FAILED),
        Arrays.stream(MigrationState.values())
            .filter(state -> !state.inHistory())
            .collect(Collectors.toCollection(() -> EnumSet.noneOf(MigrationState.class))));
  }
}
