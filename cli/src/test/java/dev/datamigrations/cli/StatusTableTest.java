package dev.datamigrations.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.datamigrations.runtime.MigrationState;
import dev.datamigrations.runtime.MigrationStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class StatusTableTest {

  @Test
  void alignsColumnsAndSummarizes() {
    Instant at = Instant.parse("2024-08-31T02:08:34.567Z");
    List<String> lines =
        StatusTable.format(
            List.of(
                new MigrationStatus(
                    1L,
                    MigrationState.REMOVED,
                    "Seed",
                    "a.Seed",
                    false,
                    at,
                    "ci, sa@db",
                    Duration.ofMillis(40),
                    null),
                new MigrationStatus(
                    20240831020834L,
                    MigrationState.APPLIED,
                    "Normalize phone numbers",
                    "a.N",
                    true,
                    at,
                    "alice",
                    Duration.ofSeconds(75),
                    "JIRA-1"),
                new MigrationStatus(
                    20240901000000L,
                    MigrationState.PENDING,
                    "Backfill",
                    "a.B",
                    true,
                    null,
                    null,
                    null,
                    null)));

    assertEquals(
        List.of(
            "VERSION         STATE    DESCRIPTION              APPLIED AT (UTC)      APPLIED BY  DURATION",
            "1               REMOVED  Seed                     2024-08-31T02:08:34Z  ci, sa@db   0.0 s",
            "20240831020834  APPLIED  Normalize phone numbers  2024-08-31T02:08:34Z  alice       1 min 15 s",
            "20240901000000  PENDING  Backfill",
            "1 applied, 1 pending, 1 removed from code"),
        lines);
  }

  @Test
  void saysSoWhenThereIsNothing() {
    assertEquals(
        "No data migrations: none in the code, none in the history table.",
        StatusTable.format(List.of()).get(1));
  }
}
