package dev.datamigrations.console;

import dev.datamigrations.runtime.DataMigrationException;
import dev.datamigrations.runtime.MigrateResult;
import dev.datamigrations.runtime.MigrationCatalog;
import dev.datamigrations.runtime.MigrationFailedException;
import dev.datamigrations.runtime.MigrationRefusedException;
import dev.datamigrations.runtime.MigrationRunner;
import dev.datamigrations.runtime.PendingMigrationsException;
import dev.datamigrations.runtime.backfill.BackfillCancelledException;
import dev.datamigrations.runtime.backfill.BackfillFailedException;
import dev.datamigrations.runtime.backfill.BackfillProgress;
import dev.datamigrations.runtime.backfill.BackfillSettings;
import dev.datamigrations.runtime.backfill.BackfillState;
import dev.datamigrations.runtime.backfill.Backfills;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;
import javax.sql.DataSource;

/**
 * Runs what the console's buttons ask for, each on a runner of its own that records the operator,
 * the reason and failures, and leaves a backfill it reaches to a background thread (kept until it
 * ends or {@link #close}). Refusals are the runner's own exceptions, turned into an {@link Outcome}
 * with their message.
 */
final class Actions implements AutoCloseable {
  private final DataSource dataSource;
  private final MigrationCatalog catalog;
  private final Tables tables;
  private final Consumer<MigrationRunner.Builder> options;
  private final BackfillSettings backfills;
  private final Throttles throttles = new Throttles(Clock.systemUTC());
  private final List<MigrationRunner> background = new ArrayList<>();
  // migrate, up and down run one at a time: a second would wait up to the runner's lock timeout
  // holding one of
  // the server's few threads, and a few such clicks would leave none for the page or the pause
  // button.
  private final java.util.concurrent.atomic.AtomicReference<String> running =
      new java.util.concurrent.atomic.AtomicReference<>();
  private MigrationRunner reader;

  /**
   * What an action came to: an HTTP status, a message for the person, and the versions the run
   * applied (or reverted) before it was refused or failed, which stay so (empty when nothing was).
   */
  record Outcome(int status, String message, List<Long> completedBefore) {
    Outcome {
      completedBefore = List.copyOf(completedBefore);
    }

    Outcome(int status, String message) {
      this(status, message, List.of());
    }
  }

  Actions(
      DataSource dataSource,
      MigrationCatalog catalog,
      Tables tables,
      Consumer<MigrationRunner.Builder> options,
      BackfillSettings backfills) {
    this.dataSource = dataSource;
    this.catalog = catalog;
    this.tables = tables;
    this.options = options;
    this.backfills = backfills;
  }

  Throttles throttles() {
    return throttles;
  }

  /** Returns the runner that only reads (status, progress); built once. */
  synchronized MigrationRunner reader() {
    if (reader == null) {
      MigrationRunner.Builder builder = MigrationRunner.configure(dataSource, catalog);
      options.accept(builder);
      reader = builder.build();
    }
    return reader;
  }

  Outcome pause(long version, String operator) {
    return backfill(version, operator, "paused", runner -> Backfills.of(runner).pause(version));
  }

  Outcome resume(long version, String operator) {
    BackfillState before =
        Backfills.of(reader()).progress(version).map(BackfillProgress::state).orElse(null);
    // A cancelled or failed backfill's workers exited: resuming only allows work again (a failed
    // one's batches with their attempts reset), somebody must start workers.
    return backfill(
        version,
        operator,
        before == BackfillState.CANCELLED || before == BackfillState.FAILED
            ? "resumed"
                + (before == BackfillState.FAILED
                    ? " after it failed (its failed batches get their attempts again;"
                    : " (")
                + "its workers had exited: run migrate or work "
                + version
                + " to continue it)"
            : "resumed",
        runner -> Backfills.of(runner).resume(version));
  }

  Outcome cancel(long version, String operator) {
    return backfill(version, operator, "cancelled", runner -> Backfills.of(runner).cancel(version));
  }

  Outcome migrate(String operator, String reason) {
    return run(operator, reason, "migrate", MigrationRunner::migrate);
  }

  Outcome up(long version, String operator, String reason) {
    return run(operator, reason, "up " + version, runner -> runner.up(version));
  }

  Outcome down(long version, String operator, String reason) {
    return run(operator, reason, "down " + version, runner -> runner.down(version));
  }

  private Outcome backfill(
      long version,
      String operator,
      String done,
      Function<MigrationRunner, BackfillProgress> action) {
    try (MigrationRunner runner = runner(operator, null, false).build()) {
      BackfillProgress progress = action.apply(runner);
      return new Outcome(
          200, "Backfill " + version + " " + done + " by " + operator + ": " + progress + ".");
    } catch (RuntimeException e) {
      return refusal(e);
    }
  }

  private Outcome run(
      String operator,
      String reason,
      String verb,
      Function<MigrationRunner, MigrateResult> action) {
    String mine = verb + " by " + operator;
    String other = running.compareAndExchange(null, mine);
    if (other != null) {
      return new Outcome(
          409,
          "Refused: "
              + other
              + " is still running in this console; wait for it to end, then try again. Nothing was changed.");
    }
    try {
      return runAlone(operator, reason, verb, action);
    } finally {
      running.set(null);
    }
  }

  private Outcome runAlone(
      String operator,
      String reason,
      String verb,
      Function<MigrationRunner, MigrateResult> action) {
    MigrationRunner runner = runner(operator, reason, true).build();
    boolean keep = false;
    try {
      MigrateResult result = action.apply(runner);
      StringBuilder message = new StringBuilder(verb + " by " + operator + ": ");
      message.append(
          result.executed().isEmpty()
              ? "nothing to run"
              : "ran " + result.versions().size() + " (" + joined(result.versions()) + ")");
      message.append(" in ").append(result.duration().toMillis()).append(" ms");
      if (!result.detached().isEmpty()) {
        keep = true;
        message
            .append("; backfill ")
            .append(joined(result.detached().stream().map(d -> d.version()).toList()))
            .append(" goes on in the background of the console's process");
      }
      return new Outcome(200, message.append('.').toString());
    } catch (RuntimeException e) {
      return refusal(e);
    } finally {
      if (keep) {
        keepInBackground(runner);
      } else {
        runner.close();
      }
    }
  }

  private MigrationRunner.Builder runner(String operator, String reason, boolean detach) {
    MigrationRunner.Builder builder = MigrationRunner.configure(dataSource, catalog);
    options.accept(builder);
    builder.with(backfills.toBuilder().listener(throttles).detach(detach).build());
    FailureRecorder failures =
        FailureRecorder.of(dataSource, tables.schema(), tables.history(), operator);
    return builder
        .operator(operator)
        .reason(reason)
        .listener(
            new dev.datamigrations.runtime.MigrationListener() {
              @Override
              public void failed(MigrationFailedException failure) {
                failures.failed(failure);
              }
            });
  }

  private synchronized void keepInBackground(MigrationRunner runner) {
    background.removeIf(
        previous -> {
          if (Backfills.of(previous).awaitDetached(Duration.ZERO)) {
            previous.close();
            return true;
          }
          return false;
        });
    background.add(runner);
  }

  /**
   * Maps the runner's exceptions: a refusal is 409 (nothing changed for the refused step; what the
   * run completed before it stays, listed in {@link Outcome#completedBefore()} and at the end of
   * the message), a failed run 500 (a failed backfill too: its batches done before the failure stay
   * done); messages scrubbed.
   */
  static Outcome refusal(RuntimeException e) {
    String message = Redaction.scrub(e.getMessage());
    List<Long> completed =
        e instanceof DataMigrationException d
            ? d.completedBefore().stream().map(x -> x.migration().version()).toList()
            : List.of();
    if (e instanceof MigrationRefusedException
        || e instanceof BackfillCancelledException
        || e instanceof PendingMigrationsException) {
      return new Outcome(409, "Refused: " + message, completed);
    }
    if (e instanceof MigrationFailedException || e instanceof BackfillFailedException) {
      return new Outcome(500, "Failed: " + message, completed);
    }
    return new Outcome(500, "Failed: " + e.getClass().getName() + ": " + message, completed);
  }

  private static String joined(List<Long> versions) {
    return String.join(", ", versions.stream().map(String::valueOf).toList());
  }

  @Override
  public synchronized void close() {
    background.forEach(MigrationRunner::close);
    background.clear();
    if (reader != null) {
      reader.close();
    }
  }
}
