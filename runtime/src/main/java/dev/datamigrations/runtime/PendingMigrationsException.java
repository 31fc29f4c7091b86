package dev.datamigrations.runtime;

import java.util.List;

/** Thrown by {@link MigrationRunner#assertNoPending()}; lists what is pending. */
public class PendingMigrationsException extends DataMigrationException {
  private static final long serialVersionUID = 1L;

  private final List<MigrationDescriptor> pending;

  public PendingMigrationsException(List<MigrationDescriptor> pending) {
    super(
        pending.size()
            + " data migration(s) pending: "
            + pending
            + ". Run them first (MigrationRegistry.run, or the command line's migrate).");
    this.pending = List.copyOf(pending);
  }

  /** Returns the pending migrations, in the order they would run. */
  public List<MigrationDescriptor> pending() {
    return pending;
  }
}
