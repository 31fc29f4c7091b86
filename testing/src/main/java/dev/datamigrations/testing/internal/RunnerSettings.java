package dev.datamigrations.testing.internal;

import dev.datamigrations.runtime.MigrationRunner;
import dev.datamigrations.runtime.backfill.BackfillProgress;
import dev.datamigrations.runtime.backfill.BackfillSettings;
import dev.datamigrations.runtime.backfill.Backfills;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * The one place where the test kit sets a runner's backfill options and reads a backfill's
 * progress: one worker (so batches run in key order and a check after each batch sees them one at a
 * time), the test's batch size, and short polling so that a test never waits a second for nothing.
 */
public final class RunnerSettings {
  private RunnerSettings() {}

  /** Sets the backfill options of a test's runner on {@code builder} and returns it. */
  public static MigrationRunner.Builder forTests(MigrationRunner.Builder builder, int batchSize) {
    return forTests(builder, batchSize, Map.of());
  }

  /**
   * Sets the backfill options of a test's runner on {@code builder}, with the CSV files of {@code
   * CsvBackfill}s by version, and returns it.
   */
  public static MigrationRunner.Builder forTests(
      MigrationRunner.Builder builder, int batchSize, Map<Long, Path> csvFiles) {
    BackfillSettings.Builder settings =
        BackfillSettings.builder()
            .batchSize(batchSize)
            .workers(1)
            // A test's batch fails the same way every time: one attempt, no retry back-off.
            .maxAttempts(1)
            .pollInterval(Duration.ofMillis(20))
            .progressInterval(Duration.ofSeconds(10));
    csvFiles.forEach(settings::csvFile);
    return builder.with(settings.build());
  }

  /** Returns the progress of backfill {@code version}, empty if it has not started. */
  public static Optional<BackfillProgress> progress(MigrationRunner runner, long version) {
    return Backfills.of(runner).progress(version);
  }
}
