package dev.datamigrations.runtime;

import java.util.List;
import java.util.stream.Collectors;

/**
 * Thrown by {@link MigrationRunner#assertValid()} (and by {@code migrate} with {@link
 * MigrationRunner.Builder#validateOnMigrate}) when migrations that ran have changed since: their
 * source's checksum differs from the one in their history row. Nothing was changed.
 */
public class ChangedMigrationsException extends MigrationRefusedException {
  private static final long serialVersionUID = 1L;

  private final transient List<ChangedMigration> changed;

  public ChangedMigrationsException(List<ChangedMigration> changed) {
    super(message(changed));
    this.changed = List.copyOf(changed);
  }

  /** Returns the changed migrations, ascending by version. */
  public List<ChangedMigration> changed() {
    return changed;
  }

  private static String message(List<ChangedMigration> changed) {
    return changed.size()
        + (changed.size() == 1
            ? " data migration changed after it ran: "
            : " data migrations changed after they ran: ")
        + changed.stream().map(ChangedMigration::toString).collect(Collectors.joining("; "))
        + ". Nothing was changed. Restore the code that ran, or, if the change is intended (a"
        + " comment-free refactoring, a fix that need not run again), accept the new checksum with"
        + " acceptChecksum(version, reason) (command line: accept-checksum VERSION --reason TEXT).";
  }
}
