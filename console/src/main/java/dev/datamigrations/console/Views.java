package dev.datamigrations.console;

import dev.datamigrations.runtime.MigrationCatalog;
import dev.datamigrations.runtime.MigrationDescriptor;
import dev.datamigrations.runtime.MigrationStatus;
import dev.datamigrations.runtime.backfill.BackfillProgress;
import dev.datamigrations.runtime.backfill.BackfillState;
import dev.datamigrations.runtime.backfill.BatchFailure;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;
import javax.sql.DataSource;

/**
 * Builds what the JSON API returns, from the runner's {@code status()} and {@code progress(v)}, the
 * failures table and the batches table. Reads only: takes no lock and creates no table. Never
 * includes the database URL, user or password; every text that may carry one (error messages, stack
 * traces) is scrubbed.
 */
final class Views {
  private static final int OVERVIEW_FAILURES = 5;

  private final DataSource dataSource;
  private final Map<Long, MigrationDescriptor> descriptors;
  private final Tables tables;
  private final Actions actions;
  private final Clock clock;

  Views(
      DataSource dataSource,
      MigrationCatalog catalog,
      Tables tables,
      Actions actions,
      Clock clock) {
    this.dataSource = dataSource;
    this.descriptors =
        catalog.descriptors().stream()
            .collect(Collectors.toMap(MigrationDescriptor::version, Function.identity()));
    this.tables = tables;
    this.actions = actions;
    this.clock = clock;
  }

  /**
   * Returns every migration grouped as failed backfills, running (or paused or cancelled)
   * backfills, pending, applied and removed, with counts.
   */
  Map<String, Object> overview() throws SQLException {
    List<MigrationStatus> status = actions.reader().status();
    List<Object> failed = new ArrayList<>();
    List<Object> running = new ArrayList<>();
    List<Object> pending = new ArrayList<>();
    List<Object> applied = new ArrayList<>();
    List<Object> removed = new ArrayList<>();
    try (Connection connection = dataSource.getConnection()) {
      for (MigrationStatus line : status) {
        // An exhaustive switch expression: a state added to the runtime fails this build instead
        // of leaving its migrations out of every group.
        List<Object> group =
            switch (line.state()) {
              case FAILED -> failed;
              case RUNNING, CANCELLED -> running;
              case PENDING -> pending;
              case APPLIED, CHANGED, BASELINED, MARKED, SKIPPED -> applied;
              case REMOVED -> removed;
            };
        group.add(
            group == failed || group == running
                ? backfill(connection, line, false)
                : migration(line));
      }
      Map<String, Object> counts = new LinkedHashMap<>();
      counts.put("failed", failed.size());
      counts.put("running", running.size());
      counts.put("pending", pending.size());
      counts.put("applied", applied.size());
      counts.put("removed", removed.size());
      counts.put("total", status.size());
      Map<String, Object> view = new LinkedHashMap<>();
      view.put("generatedAt", clock.instant());
      view.put("counts", counts);
      view.put("failed", failed);
      view.put("running", running);
      view.put("pending", pending);
      view.put("applied", applied);
      view.put("removed", removed);
      view.put(
          "recentFailures",
          FailureTable.read(connection, tables, null, OVERVIEW_FAILURES).stream()
              .map(entry -> failure(entry, false))
              .toList());
      return view;
    }
  }

  /**
   * Returns one migration with its failures and, for a started backfill, its panel; empty if
   * unknown.
   */
  Optional<Map<String, Object>> migration(long version) throws SQLException {
    Optional<MigrationStatus> line =
        actions.reader().status().stream().filter(s -> s.version() == version).findFirst();
    if (line.isEmpty()) {
      return Optional.empty();
    }
    try (Connection connection = dataSource.getConnection()) {
      Map<String, Object> view =
          line.get().progress() == null
              ? migration(line.get())
              : backfill(connection, line.get(), true);
      view.put(
          "failures",
          FailureTable.read(connection, tables, version, FailureTable.KEEP_PER_VERSION).stream()
              .map(entry -> failure(entry, true))
              .toList());
      return Optional.of(view);
    }
  }

  private Map<String, Object> migration(MigrationStatus line) {
    MigrationDescriptor descriptor = descriptors.get(line.version());
    Map<String, Object> view = new LinkedHashMap<>();
    view.put("version", line.version());
    view.put("state", line.state());
    view.put("description", line.description());
    view.put("className", line.className());
    view.put("backfill", descriptor != null && descriptor.backfill());
    view.put("transactional", descriptor != null && descriptor.transactional());
    view.put("reversible", line.reversible());
    view.put("appliedAt", line.appliedAt());
    view.put("appliedBy", Redaction.scrub(line.appliedBy()));
    view.put("durationMs", line.executionTime());
    view.put("reason", line.reason());
    return view;
  }

  /**
   * Returns a started backfill with its panel: progress, workers, throughput, throttling, and its
   * latest failed batch attempts ({@code errors}), with their stack traces if {@code withTraces}.
   */
  private Map<String, Object> backfill(
      Connection connection, MigrationStatus line, boolean withTraces) throws SQLException {
    Map<String, Object> view = migration(line);
    if (!(line.progress() instanceof BackfillProgress progress)) {
      return view;
    }
    Map<String, Object> panel = new LinkedHashMap<>();
    panel.put("state", progress.state());
    panel.put("rowsDone", progress.rowsDone());
    panel.put("estimatedTotal", progress.estimatedTotal());
    panel.put("percent", progress.percent());
    panel.put("batchesDone", progress.batchesDone());
    panel.put("batchSize", progress.batchSize());
    panel.put("rowsPerSecond", progress.rowsPerSecond());
    panel.put("etaMs", progress.eta());
    panel.put("longestBatchMs", progress.longestBatch());
    panel.put("startedAt", progress.startedAt());
    panel.put("updatedAt", progress.updatedAt());
    BatchLog.Recent recent = BatchLog.read(connection, tables, line.version(), clock.millis());
    List<Object> workers = new ArrayList<>();
    for (BatchLog.Worker worker : recent.workers()) {
      Map<String, Object> seen = new LinkedHashMap<>();
      seen.put("name", worker.name());
      seen.put("lastBatchAt", worker.lastBatchAt());
      seen.put("batches", worker.batches());
      seen.put("active", worker.active() && progress.state() != BackfillState.DONE);
      workers.add(seen);
    }
    panel.put("workers", workers);
    panel.put(
        "activeWorkers",
        workers.stream().filter(w -> (Boolean) ((Map<?, ?>) w).get("active")).count());
    panel.put("throughputBucketMs", BatchLog.BUCKET);
    panel.put("throughput", recent.rowsPerBucket());
    Map<String, Object> throttle = new LinkedHashMap<>();
    actions
        .throttles()
        .last(line.version())
        .ifPresentOrElse(
            last -> {
              throttle.put("known", true);
              throttle.put("waiting", last.waitingAt(clock.instant()));
              throttle.put("reason", last.reason());
              throttle.put("at", last.at());
              throttle.put("waitMs", last.backOff());
            },
            () -> throttle.put("known", false));
    panel.put("throttle", throttle);
    panel.put(
        "errors",
        progress.recentFailures().stream()
            .map(failure -> batchFailure(failure, withTraces))
            .toList());
    view.put("progress", panel);
    return view;
  }

  /**
   * Returns one failed batch attempt as the runtime recorded it (bounded, credentials masked),
   * scrubbed again by the console's own patterns.
   */
  private static Map<String, Object> batchFailure(BatchFailure failure, boolean withTrace) {
    Map<String, Object> view = new LinkedHashMap<>();
    view.put("batch", failure.batchNumber());
    view.put("keys", Redaction.scrub(failure.keys()));
    view.put("attempt", failure.attempt());
    view.put("errorClass", failure.errorClass());
    view.put("message", Redaction.scrub(failure.message()));
    view.put("failedAt", failure.failedAt());
    view.put("worker", failure.worker());
    view.put("outcome", Redaction.scrub(failure.outcome()));
    if (withTrace) {
      view.put("stackTrace", Redaction.scrub(failure.stackTrace()));
    }
    return view;
  }

  private static Map<String, Object> failure(FailureTable.Entry entry, boolean withTrace) {
    Map<String, Object> view = new LinkedHashMap<>();
    view.put("version", entry.version());
    view.put("direction", entry.direction());
    view.put("failedAt", entry.failedAt());
    view.put("operator", entry.operator());
    view.put("errorClass", entry.errorClass());
    view.put("message", entry.message());
    if (withTrace) {
      view.put("stackTrace", entry.stackTrace());
    }
    return view;
  }
}
