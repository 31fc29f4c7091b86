package dev.datamigrations.spring.boot;

import dev.datamigrations.runtime.MigrationRunner;
import dev.datamigrations.runtime.UnknownMigrationVersionException;
import dev.datamigrations.runtime.backfill.BackfillProgress;
import dev.datamigrations.runtime.backfill.BackfillStateException;
import dev.datamigrations.runtime.backfill.Backfills;
import org.springframework.boot.actuate.endpoint.InvalidEndpointRequestException;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;

/**
 * The {@code datamigrations} endpoint with write operations: {@code POST
 * /actuator/datamigrations/{version}/pause} ({@code resume}, {@code cancel}) changes a started
 * backfill's state in the database, for every process that works on it. Replaces {@link
 * DataMigrationsEndpoint} only when {@code datamigrations.actuator.write-operations} is true, since
 * these change state.
 */
@Endpoint(id = "datamigrations")
public class DataMigrationsControlEndpoint extends DataMigrationsEndpoint {
  private final MigrationRunner runner;

  public DataMigrationsControlEndpoint(MigrationRunner runner) {
    super(runner);
    this.runner = runner;
  }

  /**
   * Pauses, resumes or cancels backfill {@code version}; returns its progress afterwards. {@code
   * resume} also continues a {@code FAILED} backfill after the fix: its failed batches get their
   * attempts again. A cancelled or failed backfill has no workers left, so it goes on at the next
   * {@code migrate} (the application's next start-up) or {@code work VERSION} on the command line.
   * A request the runner refuses (not a backfill, not started, already done, unknown version or
   * action) answers 400 with the reason.
   */
  @WriteOperation
  public BackfillReport change(@Selector long version, @Selector String action) {
    try {
      BackfillProgress progress =
          switch (action) {
            case "pause" -> Backfills.of(runner).pause(version);
            case "resume" -> Backfills.of(runner).resume(version);
            case "cancel" -> Backfills.of(runner).cancel(version);
            default ->
                throw new InvalidEndpointRequestException(
                    "Unknown backfill action '" + action + "': use pause, resume or cancel",
                    "Unknown action '" + action + "'");
          };
      return BackfillReport.of(progress);
    } catch (BackfillStateException | UnknownMigrationVersionException e) {
      // Refusals of this request, nothing changed; database errors stay server errors.
      throw new InvalidEndpointRequestException(e.getMessage(), e.getMessage(), e);
    }
  }
}
