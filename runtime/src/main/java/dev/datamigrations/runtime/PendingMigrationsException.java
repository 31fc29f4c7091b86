package dev.datamigrations.runtime;

import java.util.List;

/**
 * Thrown by {@link MigrationRunner#assertNoPending()}; tells pending migrations (not started) from
 * backfills that are running (started, not done).
 */
public class PendingMigrationsException extends DataMigrationException {
  private static final long serialVersionUID = 1L;

  private final List<MigrationDescriptor> pending;
  private final List<MigrationDescriptor> running;

  public PendingMigrationsException(List<MigrationDescriptor> pending) {
    this(pending, List.of());
  }

  /**
   * @param pending migrations that have not started, in the order they would run
   * @param running backfills that started and are not done (running, paused or cancelled)
   */
  public PendingMigrationsException(
      List<MigrationDescriptor> pending, List<MigrationDescriptor> running) {
    super(message(pending, running));
    this.pending = List.copyOf(pending);
    this.running = List.copyOf(running);
  }

  private static String message(
      List<MigrationDescriptor> pending, List<MigrationDescriptor> running) {
    StringBuilder message = new StringBuilder();
    if (!pending.isEmpty()) {
      message
          .append(pending.size())
          .append(" data migration(s) pending: ")
          .append(pending)
          .append(". ");
    }
    if (!running.isEmpty()) {
      message
          .append(running.size())
          .append(" backfill(s) running, not done yet: ")
          .append(running)
          .append(". ");
    }
    if (!pending.isEmpty()) {
      message.append("Run them first (MigrationRegistry.run, or the command line's migrate).");
    } else {
      message.append("Wait for the backfills to finish (status shows their progress).");
    }
    if (!running.isEmpty()) {
      message.append(
          " To finish a backfill in this process first: Backfills.of(runner).ensureFinished(version)"
              + " (command line: finalize VERSION).");
    }
    return message.toString();
  }

  /** Returns the migrations that have not started, in the order they would run. */
  public List<MigrationDescriptor> pending() {
    return pending;
  }

  /** Returns the backfills that started and are not done. */
  public List<MigrationDescriptor> running() {
    return running;
  }
}
