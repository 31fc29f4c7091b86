package dev.datamigrations.runtime.internal;

import dev.datamigrations.runtime.AppliedAs;
import dev.datamigrations.runtime.DataMigrationException;
import dev.datamigrations.runtime.HistoryEditRefusedException;
import dev.datamigrations.runtime.MigrationDescriptor;
import dev.datamigrations.runtime.MigrationNotAppliedException;
import dev.datamigrations.runtime.MigrationProgress;
import dev.datamigrations.runtime.UnknownMigrationVersionException;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The verbs that write the history by hand: baseline, mark applied, skip, unmark, accept a
 * checksum. Each checks first, on one read of the history and the backfills' progress taken under
 * the run lock, and refuses ({@link HistoryEditRefusedException} and the other refusals) before
 * writing anything when the row it would write would not be true; then it writes in one
 * transaction.
 */
final class HistoryEdits {
  /**
   * The description and class of a row marked, with force, for a version the code does not know.
   */
  static final String UNKNOWN_DESCRIPTION = "(not in the code when it was marked)";

  static final String UNKNOWN_CLASS = "(unknown)";

  /**
   * Length of the reason in one audit entry: cut to it, so that an entry (who, when, both
   * checksums, why) always fits whole in the audit column.
   */
  static final int AUDIT_REASON_LENGTH = 1000;

  private final CatalogIndex catalog;
  private final History history;
  private final Map<Long, MigrationProgress> progress;
  private final HistoryWriter writer;
  private final Connection connection;

  HistoryEdits(
      CatalogIndex catalog,
      History history,
      Map<Long, MigrationProgress> progress,
      HistoryWriter writer,
      Connection connection) {
    this.catalog = catalog;
    this.history = history;
    this.progress = progress;
    this.writer = writer;
    this.connection = connection;
  }

  /**
   * Marks every migration of the code up to {@code version} as {@link AppliedAs#BASELINE}; refuses
   * when the history has any row, when {@code version} is not in the code (unless {@code force}),
   * when nothing is at or below it, or when a backfill at or below it has started.
   */
  List<MigrationDescriptor> baseline(long version, String reason, boolean force) {
    if (force) {
      requireReason("baseline " + version + " --force", reason);
    }
    if (!history.ascending().isEmpty()) {
      AppliedMigration newest = history.newestFirst().iterator().next();
      throw new HistoryEditRefusedException(
          "Cannot baseline at "
              + version
              + ": the history table "
              + writer.table().name()
              + " already has "
              + history.ascending().size()
              + " row(s), the newest "
              + describe(newest)
              + ". A baseline adopts a database that has no data-migration history yet; here, mark"
              + " single versions with mark-applied VERSION or skip VERSION instead. Nothing was"
              + " changed.");
    }
    if (catalog.get(version) == null && !force) {
      throw new UnknownMigrationVersionException(
          "Cannot baseline at "
              + version
              + ": no data migration with that version in the code. Known versions: "
              + catalog.knownVersions()
              + ". Nothing was changed. To baseline at a version between two migrations, pass"
              + " force with a reason (command line: --force --reason TEXT).",
          version,
          catalog.versions());
    }
    List<MigrationDescriptor> marked =
        catalog.ascending().stream()
            .map(CatalogIndex.Entry::descriptor)
            .filter(d -> d.version() <= version)
            .toList();
    if (marked.isEmpty()) {
      throw new HistoryEditRefusedException(
          "Cannot baseline at "
              + version
              + ": no data migration of the code is at or below it (known versions: "
              + catalog.knownVersions()
              + "). Nothing was changed.");
    }
    List<String> started =
        marked.stream()
            .filter(d -> progress.containsKey(d.version()))
            .map(MigrationDescriptor::toString)
            .toList();
    if (!started.isEmpty()) {
      throw new HistoryEditRefusedException(
          "Cannot baseline at "
              + version
              + ": backfill(s) at or below it have started, so their rows are partly changed: "
              + String.join(", ", started)
              + ". Finish them (work VERSION or resume VERSION) first. Nothing was changed.");
    }
    inTransaction(
        () -> {
          for (MigrationDescriptor d : marked) {
            writer.marked(
                connection,
                d.version(),
                d.description(),
                d.className(),
                d.checksum().orElse(null),
                AppliedAs.BASELINE,
                reason);
          }
        });
    return marked;
  }

  /**
   * Marks {@code version} {@code how} ({@link AppliedAs#MARKED} or {@link AppliedAs#SKIPPED})
   * without running it; refuses without a reason, for a version the code does not know (unless
   * {@code force}), one that has a history row, or a backfill that has started.
   */
  void mark(long version, AppliedAs how, String reason, boolean force) {
    String verb = (how == AppliedAs.SKIPPED ? "skip " : "mark-applied ") + version;
    requireReason(verb, reason);
    CatalogIndex.Entry entry = catalog.get(version);
    if (entry == null && !force) {
      throw new UnknownMigrationVersionException(
          "Cannot "
              + verb
              + ": no data migration with that version in the code. Known versions: "
              + catalog.knownVersions()
              + ". Nothing was changed. If the history must record it anyway, pass force (command"
              + " line: --force); the reason is stored with the row.",
          version,
          catalog.versions());
    }
    AppliedMigration row = history.row(version).orElse(null);
    if (row != null) {
      throw new HistoryEditRefusedException(
          "Cannot "
              + verb
              + ": it already has a history row, "
              + describe(row)
              + ". Nothing was changed."
              + (row.appliedAs() == AppliedAs.RUN
                  ? ""
                  : " unmark " + version + " removes that mark first."));
    }
    MigrationProgress started = progress.get(version);
    if (started != null) {
      throw new HistoryEditRefusedException(
          "Cannot "
              + verb
              + ": it is a backfill that has started ("
              + (started.cancelled() ? "cancelled" : "running or paused")
              + " at "
              + String.format(java.util.Locale.ROOT, "%.1f", started.percent())
              + "%), so some of its rows are changed and others not. Finish it (work "
              + version
              + " or resume "
              + version
              + ") first. Nothing was changed.");
    }
    inTransaction(
        () ->
            writer.marked(
                connection,
                version,
                entry == null ? UNKNOWN_DESCRIPTION : entry.descriptor().description(),
                entry == null ? UNKNOWN_CLASS : entry.descriptor().className(),
                entry == null ? null : entry.descriptor().checksum().orElse(null),
                how,
                reason));
  }

  /**
   * Deletes {@code version}'s row if it was marked by hand (baseline, mark-applied, skip); refuses
   * for a version without a row or one that ran, which {@code down} reverts.
   */
  AppliedAs unmark(long version) {
    AppliedMigration row = history.row(version).orElse(null);
    if (row == null) {
      throw new MigrationNotAppliedException(
          "Cannot unmark "
              + version
              + ": it has no history row, so there is no mark to remove. Nothing was changed.",
          version);
    }
    if (row.appliedAs() == AppliedAs.RUN) {
      throw new HistoryEditRefusedException(
          "Cannot unmark "
              + version
              + ": it ran ("
              + describe(row)
              + "); unmark removes only marks made by hand (baseline, mark-applied, skip). Revert it"
              + " with down "
              + version
              + ". Nothing was changed.");
    }
    inTransaction(
        () -> {
          if (writer.table().delete(connection, version) != 1) {
            throw new SQLException("its row was deleted by someone else meanwhile");
          }
        });
    return row.appliedAs();
  }

  /**
   * Stores the code's checksum in {@code version}'s row and appends the old one, who and why to its
   * audit column; returns false, changing nothing, when the two are equal already.
   */
  boolean acceptChecksum(long version, String reason) {
    String verb = "accept the checksum of " + version;
    requireReason(verb, reason);
    CatalogIndex.Entry entry = catalog.get(version);
    if (entry == null) {
      throw new UnknownMigrationVersionException(
          "Cannot "
              + verb
              + ": no data migration with that version in the code, so there is no checksum to"
              + " accept. Known versions: "
              + catalog.knownVersions()
              + ". Nothing was changed.",
          version,
          catalog.versions());
    }
    AppliedMigration row = history.row(version).orElse(null);
    if (row == null) {
      throw new MigrationNotAppliedException(
          "Cannot "
              + verb
              + ": "
              + entry.descriptor()
              + " has no history row; it runs with its current code. Nothing was changed.",
          version);
    }
    String checksum = entry.descriptor().checksum().orElse(null);
    if (checksum == null) {
      throw new HistoryEditRefusedException(
          "Cannot "
              + verb
              + ": the registry has no checksum for "
              + entry.descriptor()
              + " (compiled by a compiler other than javac, or the descriptor was written by"
              + " hand). Nothing was changed.");
    }
    if (checksum.equals(row.checksum())) {
      return false;
    }
    String entryText =
        Instant.now()
            + " "
            + writer.appliedBy(connection)
            + ": accepted checksum "
            + checksum
            + " in place of "
            + (row.checksum() == null ? "none (applied before checksums)" : row.checksum())
            + ": "
            + HistoryTable.fit(
                dev.datamigrations.runtime.Redaction.redact(reason.strip()), AUDIT_REASON_LENGTH);
    String audit = row.audit() == null ? entryText : row.audit() + "\n" + entryText;
    inTransaction(
        () -> {
          if (writer.table().updateChecksum(connection, version, checksum, audit) != 1) {
            throw new SQLException("its row was deleted by someone else meanwhile");
          }
        });
    return true;
  }

  private static void requireReason(String verb, String reason) {
    if (reason == null || reason.isBlank()) {
      throw new HistoryEditRefusedException(
          "Cannot "
              + verb
              + " without a reason: the history keeps why its rows were written by hand. Give one"
              + " (command line: --reason TEXT). Nothing was changed.");
    }
  }

  private static String describe(AppliedMigration row) {
    return row.version()
        + " ("
        + row.description()
        + ", "
        + row.className()
        + "), "
        + switch (row.appliedAs()) {
          case RUN -> "applied";
          case BASELINE -> "baselined";
          case MARKED -> "marked applied";
          case SKIPPED -> "skipped";
        }
        + " on "
        + row.appliedAt()
        + " by "
        + row.appliedBy();
  }

  /** SQL that may fail. */
  private interface Write {
    void run() throws SQLException;
  }

  /** Runs {@code write} in one transaction on the lease's auto-commit connection. */
  private void inTransaction(Write write) {
    try {
      connection.setAutoCommit(false);
      try {
        write.run();
        connection.commit();
      } catch (SQLException | RuntimeException e) {
        try {
          connection.rollback();
        } catch (SQLException suppressed) {
          e.addSuppressed(suppressed);
        }
        throw e;
      } finally {
        connection.setAutoCommit(true);
      }
    } catch (SQLException e) {
      throw new DataMigrationException(
          "Could not write the history table "
              + writer.table().name()
              + ": "
              + e
              + ". Its transaction was rolled back: nothing was changed.",
          e);
    }
  }

  /** Returns the versions of {@code descriptors}, for a log line. */
  static String versions(List<MigrationDescriptor> descriptors) {
    return descriptors.stream()
        .map(d -> Long.toString(d.version()))
        .collect(Collectors.joining(", "));
  }
}
