package dev.datamigrations.cli;

import dev.datamigrations.runtime.MigrationRunner;
import dev.datamigrations.runtime.OutOfOrderPolicy;
import java.time.Duration;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/** How a run behaves and what it records: the options handed to {@link MigrationRunner.Builder}. */
final class RunOptions {

  @Option(
      names = "--table",
      paramLabel = "TABLE",
      scope = ScopeType.INHERIT,
      description = "History table (default: data_migrations).")
  String table;

  @Option(
      names = "--schema",
      paramLabel = "SCHEMA",
      scope = ScopeType.INHERIT,
      description = "Schema of the history table (default: the connection's current schema).")
  String schema;

  @Option(
      names = "--lock-timeout",
      paramLabel = "DURATION",
      scope = ScopeType.INHERIT,
      converter = DurationConverter.class,
      description = "How long to wait for another run's lock: 30s, 5m, or ISO-8601 like PT2M (default: 5m).")
  Duration lockTimeout;

  @Option(
      names = "--reason",
      paramLabel = "TEXT",
      scope = ScopeType.INHERIT,
      description = "Why this run happens (a ticket, a sentence); stored in the history for the audit trail.")
  String reason;

  @Option(
      names = "--operator",
      paramLabel = "NAME",
      scope = ScopeType.INHERIT,
      description = "Who runs it, stored in the history (default: the system user name).")
  String operator;

  @Option(
      names = "--refuse-out-of-order",
      scope = ScopeType.INHERIT,
      description =
          "Refuse, before changing anything, to apply a pending version older than the newest applied one.")
  boolean refuseOutOfOrder;

  /** Applies these options to {@code builder} and returns it. */
  MigrationRunner.Builder applyTo(MigrationRunner.Builder builder) {
    if (table != null) {
      builder.table(table);
    }
    if (schema != null) {
      builder.schema(schema);
    }
    if (lockTimeout != null) {
      builder.lockTimeout(lockTimeout);
    }
    if (refuseOutOfOrder) {
      builder.outOfOrder(OutOfOrderPolicy.REFUSE);
    }
    return builder
        .operator(operator != null ? operator : System.getProperty("user.name"))
        .reason(reason);
  }
}
