package dev.datamigrations.runtime.backfill;

import dev.datamigrations.runtime.MigrationRunner;
import dev.datamigrations.runtime.UnknownMigrationVersionException;
import dev.datamigrations.runtime.backfill.internal.BackfillController;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * Controls the backfills of one runner: works on them, pauses, resumes or cancels them (in every
 * process: the state is in the database), reads their progress.
 *
 * <pre>{@code
 * Backfills backfills = Backfills.of(runner);
 * backfills.pause(20250301120000L);
 * backfills.progress(20250301120000L).ifPresent(System.out::println);
 * }</pre>
 */
public final class Backfills {
  private final BackfillController controller;

  private Backfills(BackfillController controller) {
    this.controller = controller;
  }

  /**
   * Returns the backfill controls of {@code runner}: its backfill layer, or one with {@link
   * BackfillSettings#defaults()} for a runner whose catalog lists no backfill and was given no
   * settings.
   */
  public static Backfills of(MigrationRunner runner) {
    Objects.requireNonNull(runner, "runner");
    return new Backfills(runner.extension(BackfillController.class, BackfillSettings.defaults()));
  }

  /**
   * Works on backfill {@code version} in this process until it is done, paused-then-cancelled, or
   * the runner is closed, with the configured number of worker threads; starts it first if it is
   * pending (in or out of order, like {@code up}). Several processes may work on one backfill at
   * once on PostgreSQL, MySQL and MariaDB; on other databases a worker holds the run lock, so one
   * at a time. Returns the progress at the end.
   *
   * @throws BackfillStateException if {@code version} is not a backfill
   * @throws UnknownMigrationVersionException if the code has no such version
   */
  public BackfillProgress work(long version) {
    return controller.work(version);
  }

  /**
   * Makes sure backfill {@code version} is finished before going on, for a later deploy that
   * depends on it (GitLab's {@code ensure_batched_background_migration_is_finished}): returns at
   * once if it is applied; otherwise runs what is left of it in this process, with the configured
   * workers, until it is done, starting it if pending, resuming it if paused, sharing its batches
   * with workers elsewhere if running. Named so as not to clash with {@code Object.finalize}; the
   * command line's {@code finalize VERSION}.
   *
   * @throws BackfillCancelledException if it is cancelled (resume it first)
   * @throws BackfillFailedException if it had failed (fix, resume, then finalize) or fails now
   * @throws BackfillStateException if {@code version} is not a backfill
   * @throws UnknownMigrationVersionException if the code has no such version
   */
  public void ensureFinished(long version) {
    controller.ensureFinished(version);
  }

  /**
   * Pauses a started backfill: its workers, in every process, finish their current batch and wait.
   * Persisted.
   *
   * @throws BackfillStateException if it has not started, is done or cancelled
   */
  public BackfillProgress pause(long version) {
    return control(BackfillControl.PAUSE, version);
  }

  /**
   * Resumes a paused, cancelled or failed backfill where it stopped. A cancelled or failed one has
   * no workers left: run {@code migrate}, {@link #work} or {@link #ensureFinished} again. A failed
   * one's batches are attempted again with their attempts reset (its failures stay recorded).
   *
   * @throws BackfillStateException if it has not started or is done
   */
  public BackfillProgress resume(long version) {
    return control(BackfillControl.RESUME, version);
  }

  /**
   * Cancels a started backfill (running, paused or failed): its workers, in every process, stop
   * after their current batch, and {@code migrate} refuses to go past it until it is resumed.
   * Batches done stay done.
   *
   * @throws BackfillStateException if it has not started or is done
   */
  public BackfillProgress cancel(long version) {
    return control(BackfillControl.CANCEL, version);
  }

  /**
   * Applies {@code control} to a started backfill and returns its progress after the change.
   *
   * @throws BackfillStateException if it has not started, or its state does not allow the change
   *     (nothing changed)
   */
  public BackfillProgress control(BackfillControl control, long version) {
    return controller.control(Objects.requireNonNull(control, "control"), version);
  }

  /**
   * Returns the progress of a started backfill, read from the database; empty if it has not
   * started.
   */
  public Optional<BackfillProgress> progress(long version) {
    return controller.progress(version);
  }

  /**
   * Returns how many batches of backfill {@code version} this runner's workers in this process are
   * processing now: batch transactions begun and not yet committed or rolled back; 0 if none (or no
   * worker of this runner works on it). Workers of other processes or runners are not counted. A
   * batch that began before {@link #pause} or {@link #cancel} returned may still commit; once this
   * answers 0 after it returned, no worker counted here commits another batch until the backfill is
   * resumed.
   */
  public int batchesInFlight(long version) {
    return controller.batchesInFlight(version);
  }

  /**
   * Waits up to {@code timeout} for the backfills a detached {@code migrate} left running in this
   * process; returns whether they ended.
   */
  public boolean awaitDetached(Duration timeout) {
    return controller.awaitBackground(timeout);
  }
}
