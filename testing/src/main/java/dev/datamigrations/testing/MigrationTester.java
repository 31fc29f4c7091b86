package dev.datamigrations.testing;

import dev.datamigrations.runtime.DataMigrationException;
import dev.datamigrations.runtime.MigrateResult;
import dev.datamigrations.runtime.Migration;
import dev.datamigrations.runtime.MigrationCatalog;
import dev.datamigrations.runtime.MigrationDescriptor;
import dev.datamigrations.runtime.MigrationRunner;
import dev.datamigrations.runtime.MigrationState;
import dev.datamigrations.runtime.MigrationStatus;
import dev.datamigrations.runtime.Redaction;
import dev.datamigrations.runtime.backfill.Backfill;
import dev.datamigrations.runtime.backfill.BackfillFailedException;
import dev.datamigrations.runtime.backfill.BatchFailure;
import dev.datamigrations.runtime.backfill.CsvBackfill;
import dev.datamigrations.runtime.backfill.QueryBackfill;
import dev.datamigrations.testing.internal.IsolationDialect;
import dev.datamigrations.testing.internal.RecordingCatalog;
import dev.datamigrations.testing.internal.RunnerSettings;
import dev.datamigrations.testing.internal.SchemaBoundDataSource;
import dev.datamigrations.testing.internal.UrlDataSource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import org.jdbi.v3.core.HandleCallback;
import org.jdbi.v3.core.HandleConsumer;
import org.jdbi.v3.core.Jdbi;

/**
 * Tests one data migration against a real database, through the real {@link MigrationRunner}: apply
 * everything before it, seed data, run it, check; or, in one call, GitLab's {@code
 * reversible_migration} pattern ({@link #assertReversible(long, HandleConsumer, HandleConsumer)}),
 * a run twice ({@link #assertIdempotent(long, String...)}) and a backfill in tiny batches ({@link
 * #runBackfill}).
 *
 * <pre>{@code
 * try (MigrationTester tester = MigrationTester.configure(new MigrationRegistry())
 *     .schemaSetup(dataSource -> Flyway.configure().dataSource(dataSource).load().migrate())
 *     .build()) {                                                  // H2 in memory, a database of its own
 *   tester.migrateBefore(FillFullName.VERSION)
 *       .seed(handle -> handle.execute("INSERT INTO customers (id, first_name, last_name) VALUES (1, 'Ada', 'Lovelace')"));
 *   tester.assertReversible(
 *       FillFullName.VERSION,
 *       handle -> assertNull(fullName(handle, 1)),
 *       handle -> assertEquals("Ada Lovelace", fullName(handle, 1)));
 * }
 * }</pre>
 *
 * <p>Without a data source the tester runs on an H2 database in memory of its own, gone when it is
 * closed. With yours ({@link Builder#dataSource}, {@link Builder#url}: a Testcontainers
 * container's, a CI server's) it works in a schema of its own, created when it is built and dropped
 * when it is closed ({@link Isolation#SCHEMA_PER_TEST}; MySQL and MariaDB: a database); every
 * connection it hands out starts there, and the runner's history table lives there. Not
 * thread-safe: one tester per test.
 */
public final class MigrationTester implements AutoCloseable {
  private static final AtomicLong H2_DATABASES = new AtomicLong();
  private static final SecureRandom RANDOM = new SecureRandom();

  private final MigrationCatalog catalog;
  private final DataSource dataSource;
  private final Jdbi jdbi;
  private final String schema;
  private final String table;
  private final int batchSize;
  private final String description;
  private final Cleanup cleanup;
  private final MigrationRunner runner;

  private MigrationTester(
      MigrationCatalog catalog,
      DataSource dataSource,
      String schema,
      String table,
      int batchSize,
      String description,
      Cleanup cleanup) {
    this.catalog = catalog;
    this.dataSource = dataSource;
    this.jdbi = Jdbi.create(dataSource);
    this.schema = schema;
    this.table = table;
    this.batchSize = batchSize;
    this.description = description;
    this.cleanup = cleanup;
    this.runner = runnerFor(catalog, batchSize);
  }

  /**
   * Returns a builder for a tester of {@code catalog}'s migrations (the generated {@code
   * MigrationRegistry}).
   */
  public static Builder configure(MigrationCatalog catalog) {
    return new Builder(catalog);
  }

  /** Returns a tester on an H2 database in memory of its own, with no schema set-up. */
  public static MigrationTester create(MigrationCatalog catalog) {
    return configure(catalog).build();
  }

  /** Returns the data source of the test's database; its connections start in the test's schema. */
  public DataSource dataSource() {
    return dataSource;
  }

  /** Returns a {@link Jdbi} on {@link #dataSource()}, for seeding and checking. */
  public Jdbi jdbi() {
    return jdbi;
  }

  /** Returns the test's own schema (database on MySQL and MariaDB), or null when it has none. */
  public String schema() {
    return schema;
  }

  /**
   * Returns the runner every verb of this tester goes through, to call what the tester does not
   * wrap.
   */
  public MigrationRunner runner() {
    return runner;
  }

  /**
   * Returns the descriptor of {@code version}.
   *
   * @throws MigrationTestException if the catalog has no such version, listing those it has
   */
  public MigrationDescriptor migration(long version) {
    return catalog.descriptors().stream()
        .filter(d -> d.version() == version)
        .findFirst()
        .orElseThrow(
            () ->
                new MigrationTestException(
                    "No data migration has version "
                        + version
                        + " in "
                        + catalog.getClass().getName()
                        + "; its versions are "
                        + catalog.descriptors().stream()
                            .map(d -> Long.toString(d.version()))
                            .collect(Collectors.joining(", ", "[", "]"))
                        + "."));
  }

  /**
   * Applies every migration older than {@code version}, in order (those already applied are left
   * alone), so that the database is as {@code version} will find it in production. Returns this
   * tester.
   */
  public MigrationTester migrateBefore(long version) {
    migration(version);
    for (MigrationDescriptor earlier : catalog.descriptors()) {
      if (earlier.version() < version) {
        runner.up(earlier.version());
      }
    }
    return this;
  }

  /**
   * Applies every migration up to {@code version}, that one included, in order. Returns this
   * tester.
   */
  public MigrationTester migrateTo(long version) {
    migrateBefore(version);
    runner.up(version);
    return this;
  }

  /** Applies every pending migration, as {@link MigrationRunner#migrate()} does. */
  public MigrateResult migrate() {
    return runner.migrate();
  }

  /**
   * Applies {@code version}, as {@link MigrationRunner#up(long)} does (a backfill runs to its end).
   */
  public MigrateResult up(long version) {
    return runner.up(version);
  }

  /** Reverts {@code version}, as {@link MigrationRunner#down(long)} does. */
  public MigrateResult down(long version) {
    return runner.down(version);
  }

  /** Returns whether {@code version} is applied (a backfill: done). */
  public boolean isApplied(long version) {
    return state(version) == MigrationState.APPLIED;
  }

  /**
   * Runs {@code seed} on a handle of the test's database (in auto-commit) and returns this tester.
   */
  public <X extends Exception> MigrationTester seed(HandleConsumer<X> seed) throws X {
    jdbi.useHandle(seed);
    return this;
  }

  /** Runs {@code consumer} on a handle of the test's database, in auto-commit. */
  public <X extends Exception> void useHandle(HandleConsumer<X> consumer) throws X {
    jdbi.useHandle(consumer);
  }

  /** Returns what {@code callback} returns from a handle of the test's database, in auto-commit. */
  public <R, X extends Exception> R withHandle(HandleCallback<R, X> callback) throws X {
    return jdbi.withHandle(callback);
  }

  /**
   * Returns a snapshot of {@code tables} (plain names, or {@code schema.table}); with none, of
   * every table of the test's schema except the runner's own ({@code data_migrations} and its
   * {@code _lock}, {@code _progress}, {@code _batches}, {@code _failures} tables).
   */
  public DatabaseSnapshot snapshot(String... tables) {
    return jdbi.withHandle(
        handle ->
            tables.length == 0
                ? DatabaseSnapshot.readAll(handle, table)
                : DatabaseSnapshot.read(handle, List.of(tables)));
  }

  /**
   * GitLab's {@code reversible_migration} in one call: applies every migration before {@code
   * version}, then checks {@code before}, runs {@code up}, checks {@code after}, runs {@code down}
   * and checks {@code before} again. Seed the data first ({@link #migrateBefore}, then {@link
   * #seed}). Each check runs on a handle of its own; a JUnit assertion (or any exception) in it
   * fails this call.
   *
   * @throws MigrationAssertionError naming the {@link Phase} that failed: {@code before}, {@code
   *     up}, {@code after}, {@code down} or {@code before again} (what {@code down} did not
   *     restore)
   * @throws MigrationTestException before running anything if the version is unknown, already
   *     applied (or, a backfill, started), or irreversible: a migration without {@code down} cannot
   *     be reverted, by design
   */
  public <X extends Exception, Y extends Exception> void assertReversible(
      long version, HandleConsumer<X> before, HandleConsumer<Y> after) {
    String assertion = "assertReversible";
    MigrationDescriptor migration = reversible(assertion, version);
    migrateBefore(version);
    check(assertion, migration, Phase.BEFORE, before);
    run(assertion, migration, Phase.UP, () -> runner.up(version));
    check(assertion, migration, Phase.AFTER, after);
    run(assertion, migration, Phase.DOWN, () -> runner.down(version));
    check(assertion, migration, Phase.BEFORE_AGAIN, before);
  }

  /**
   * Checks that {@code down} restores every table: applies every migration before {@code version},
   * snapshots every table of the test's schema (the runner's own excepted), runs {@code up} and
   * {@code down}, and compares. Stricter than checks of your own: a {@code down} that restores the
   * values but, say, re-inserts rows under new keys fails it.
   *
   * @throws MigrationAssertionError naming the phase: {@code up}, {@code down}, or {@code before
   *     again} with the rows that differ
   * @throws MigrationTestException as {@link #assertReversible(long, HandleConsumer,
   *     HandleConsumer)}
   */
  public void assertReversible(long version) {
    String assertion = "assertReversible";
    MigrationDescriptor migration = reversible(assertion, version);
    migrateBefore(version);
    DatabaseSnapshot before = snapshot();
    run(assertion, migration, Phase.UP, () -> runner.up(version));
    run(assertion, migration, Phase.DOWN, () -> runner.down(version));
    DatabaseSnapshot after = snapshot();
    List<String> differences = after.differencesFrom(before);
    if (!differences.isEmpty()) {
      throw new MigrationAssertionError(
          assertion,
          migration,
          Phase.BEFORE_AGAIN,
          "down did not restore the tables as they were before up:\n  "
              + String.join("\n  ", differences),
          null);
    }
  }

  /**
   * Checks that running the migration twice leaves the data as running it once does, as a {@code
   * transactional = false} migration or a backfill must (a failed non-transactional run, or a
   * backfill whose history row was deleted, runs again from the start): applies every migration
   * before {@code version}, runs {@code up} through the runner, snapshots {@code tables}, deletes
   * the migration's history row, runs {@code up} again through the runner (a backfill starts over
   * from its first key), and compares. With no tables, every table of the test's schema is compared
   * (the runner's own excepted). It does not simulate a crash in the middle of the first run.
   *
   * @throws MigrationAssertionError naming the phase: {@code first run}, {@code second run}, or
   *     {@code same result} with the rows that differ
   * @throws MigrationTestException before running anything if the version is unknown or already
   *     applied
   */
  public void assertIdempotent(long version, String... tables) {
    String assertion = "assertIdempotent";
    MigrationDescriptor migration = pending(assertion, version);
    migrateBefore(version);
    run(assertion, migration, Phase.FIRST_RUN, () -> runner.up(version));
    DatabaseSnapshot first = snapshot(tables);
    forgetApplied(version);
    MigrateResult second = run(assertion, migration, Phase.SECOND_RUN, () -> runner.up(version));
    if (!second.versions().contains(version)) {
      throw new MigrationAssertionError(
          assertion,
          migration,
          Phase.SECOND_RUN,
          "the runner did not run it again after its history row was deleted (it ran "
              + second.versions()
              + ")",
          null);
    }
    List<String> differences = snapshot(tables).differencesFrom(first);
    if (!differences.isEmpty()) {
      throw new MigrationAssertionError(
          assertion,
          migration,
          Phase.SAME_RESULT,
          "running it a second time changed the data:\n  " + String.join("\n  ", differences),
          null);
    }
  }

  /**
   * Runs backfill {@code version} (a {@code Backfill} or a {@code QueryBackfill}) to its end with
   * batches of {@code batchSize} keys (1 makes every key both ends of a batch) on one worker, after
   * applying every migration before it, and returns its batches and progress.
   *
   * @throws MigrationAssertionError phase {@code up} if the backfill failed: it is {@code FAILED},
   *     and the message lists the failed attempts it recorded (the cause is the first exception its
   *     {@code process} threw)
   * @throws MigrationTestException before running anything if the version is unknown, not a
   *     backfill, a {@code CsvBackfill} (give its CSV: {@link #runBackfill(long, int, CsvInput)}),
   *     or started
   */
  public BackfillRun runBackfill(long version, int batchSize) {
    return runBackfill(version, batchSize, (handle, batch) -> {});
  }

  /**
   * Runs backfill {@code version} like {@link #runBackfill(long, int)}, one batch at a time, and
   * calls {@code afterEachBatch} after each batch's {@code process}, on the batch's handle and in
   * its transaction: it sees exactly the batches done so far. The runtime has no "one batch and
   * stop"; this check is how a test looks at each batch.
   *
   * @throws MigrationAssertionError phase {@code batch}, naming the batch, if a check failed; phase
   *     {@code up} if the backfill itself failed, listing its recorded errors
   */
  public BackfillRun runBackfill(long version, int batchSize, BatchCheck afterEachBatch) {
    Objects.requireNonNull(afterEachBatch, "afterEachBatch");
    return runBackfill(version, batchSize, null, afterEachBatch, (handle, batch) -> {});
  }

  /**
   * Runs {@code CsvBackfill} {@code version} over {@code csv} (a file, or its text) to its end,
   * {@code batchSize} rows per batch, on one worker, after applying every migration before it, and
   * returns its batches ({@link BackfillRun#csvBatches()}) and progress.
   *
   * @throws MigrationAssertionError phase {@code up} if the backfill failed (listing its recorded
   *     errors), or the runtime refused the CSV (unreadable, not valid CSV)
   * @throws MigrationTestException before running anything if the version is unknown, not a {@code
   *     CsvBackfill}, or started
   */
  public BackfillRun runBackfill(long version, int batchSize, CsvInput csv) {
    return runBackfill(version, batchSize, csv, (handle, batch) -> {});
  }

  /**
   * Runs {@code CsvBackfill} {@code version} over {@code csv} like {@link #runBackfill(long, int,
   * CsvInput)}, and calls {@code afterEachBatch} after each batch's {@code process}, on the batch's
   * handle and in its transaction.
   *
   * @throws MigrationAssertionError phase {@code batch}, naming the batch, if a check failed; phase
   *     {@code up} if the backfill itself failed, listing its recorded errors
   */
  public BackfillRun runBackfill(
      long version, int batchSize, CsvInput csv, CsvBatchCheck afterEachBatch) {
    Objects.requireNonNull(csv, "csv");
    Objects.requireNonNull(afterEachBatch, "afterEachBatch");
    return runBackfill(version, batchSize, csv, (handle, batch) -> {}, afterEachBatch);
  }

  private BackfillRun runBackfill(
      long version,
      int batchSize,
      CsvInput csv,
      BatchCheck afterEachBatch,
      CsvBatchCheck afterEachCsvBatch) {
    String assertion = "runBackfill";
    MigrationDescriptor migration = pending(assertion, version);
    String shape = shape(version);
    if (!migration.backfill()) {
      throw new MigrationTestException(
          "runBackfill cannot run data migration "
              + migration
              + ": it is not a Backfill. Use up(version).");
    }
    if (csv == null && shape.equals("CsvBackfill")) {
      throw new MigrationTestException(
          "runBackfill cannot run data migration "
              + migration
              + ": it is a CsvBackfill and needs its CSV. Give it with runBackfill(version, batchSize,"
              + " CsvInput.file(path)) or CsvInput.text(\"header\\nrow\\n\").");
    }
    if (csv != null && !shape.equals("CsvBackfill")) {
      throw new MigrationTestException(
          "runBackfill cannot run data migration "
              + migration
              + " over a CSV: it is a "
              + shape
              + ", not a CsvBackfill. Use runBackfill(version, batchSize).");
    }
    if (batchSize < 1) {
      throw new MigrationTestException(
          "runBackfill needs a batch size of at least 1, was " + batchSize);
    }
    migrateBefore(version);
    Path file = null;
    Path temporary = null;
    if (csv != null) {
      file = csv.file();
      if (file == null) {
        try {
          temporary = Files.createTempFile("datamigrations-test-", ".csv");
          Files.writeString(temporary, csv.text(), StandardCharsets.UTF_8);
        } catch (IOException e) {
          throw new UncheckedIOException("Could not write the CSV of " + migration, e);
        }
        file = temporary;
      }
    }
    try {
      return runRecorded(assertion, migration, batchSize, file, afterEachBatch, afterEachCsvBatch);
    } finally {
      if (temporary != null) {
        try {
          Files.deleteIfExists(temporary);
        } catch (IOException e) {
          temporary.toFile().deleteOnExit();
        }
      }
    }
  }

  private BackfillRun runRecorded(
      String assertion,
      MigrationDescriptor migration,
      int batchSize,
      Path csvFile,
      BatchCheck afterEachBatch,
      CsvBatchCheck afterEachCsvBatch) {
    long version = migration.version();
    // The runtime records a failed batch and reports the backfill FAILED with the error's text, not
    // the exception itself: the first failed check is kept here, so the assertion keeps its cause.
    AtomicReference<BatchCheckFailed> firstFailedCheck = new AtomicReference<>();
    RecordingCatalog recording =
        new RecordingCatalog(
            catalog,
            version,
            (handle, batch) ->
                checkBatch(
                    firstFailedCheck,
                    batch.toString(),
                    () -> {
                      afterEachBatch.check(handle, batch);
                      return null;
                    }),
            (handle, batch) ->
                checkBatch(
                    firstFailedCheck,
                    "CSV batch "
                        + batch.number()
                        + " (rows "
                        + batch.firstRow()
                        + " to "
                        + batch.lastRow()
                        + ")",
                    () -> {
                      afterEachCsvBatch.check(handle, batch);
                      return null;
                    }));
    try (MigrationRunner backfillRunner =
        RunnerSettings.forTests(
                builderFor(recording),
                batchSize,
                csvFile == null ? java.util.Map.of() : java.util.Map.of(version, csvFile))
            .build()) {
      try {
        backfillRunner.up(version);
      } catch (DataMigrationException e) {
        BatchCheckFailed failed = batchCheckFailure(e);
        if (failed == null) {
          failed = firstFailedCheck.get();
        }
        if (failed != null) {
          throw new MigrationAssertionError(
              assertion,
              migration,
              Phase.BATCH,
              "after batch " + failed.batch + ": " + failed.getCause().getMessage(),
              failed.getCause());
        }
        if (e instanceof BackfillFailedException backfillFailed) {
          throw failedBackfill(assertion, migration, backfillFailed, recording);
        }
        throw new MigrationAssertionError(assertion, migration, Phase.UP, e.getMessage(), e);
      }
      return new BackfillRun(
          version,
          batchSize,
          recording.processed(),
          RunnerSettings.progress(backfillRunner, version)
              .orElseThrow(
                  () ->
                      new IllegalStateException(
                          "Backfill " + migration + " ran but has no progress")),
          recording.csvProcessed());
    }
  }

  /**
   * Returns the assertion error of a backfill that ended {@code FAILED}: its progress and the
   * failed attempts it recorded, newest first, with the first one's stack trace; the cause is the
   * first exception its {@code process} threw (the runtime keeps only its text), the runner's
   * exception suppressed in it.
   */
  private static MigrationAssertionError failedBackfill(
      String assertion,
      MigrationDescriptor migration,
      BackfillFailedException e,
      RecordingCatalog recording) {
    StringBuilder detail =
        new StringBuilder("the backfill is FAILED at ").append(e.progress()).append('.');
    List<BatchFailure> failures = e.progress().recentFailures();
    if (!failures.isEmpty()) {
      detail.append(" Its recorded errors, newest first:");
      for (BatchFailure failure : failures) {
        detail.append("\n  ").append(failure);
      }
      String trace = failures.get(failures.size() - 1).stackTrace();
      if (trace != null && !trace.isEmpty()) {
        detail.append("\nThe first one's stack trace, as recorded:\n").append(trace.strip());
      }
    }
    Throwable cause = recording.firstProcessFailure();
    if (cause == null) {
      cause = e;
    } else if (cause != e) {
      cause.addSuppressed(e);
    }
    return new MigrationAssertionError(
        assertion, migration, Phase.UP, Redaction.redact(detail.toString()), cause);
  }

  private static void checkBatch(
      AtomicReference<BatchCheckFailed> firstFailedCheck, String batch, Step<Void> check) {
    try {
      check.run();
    } catch (AssertionError | Exception e) {
      BatchCheckFailed failed = new BatchCheckFailed(batch, e);
      firstFailedCheck.compareAndSet(null, failed);
      throw failed;
    }
  }

  /** Returns {@code Backfill}, {@code QueryBackfill}, {@code CsvBackfill} or {@code Migration}. */
  private String shape(long version) {
    List<MigrationDescriptor> descriptors = catalog.descriptors();
    for (int i = 0; i < descriptors.size(); i++) {
      if (descriptors.get(i).version() == version) {
        Migration instance = catalog.instantiate(i);
        return instance instanceof CsvBackfill
            ? "CsvBackfill"
            : instance instanceof QueryBackfill
                ? "QueryBackfill"
                : instance instanceof Backfill ? "Backfill" : "Migration";
      }
    }
    return "Migration";
  }

  /** Stops the runner, then drops the test's schema or shuts its H2 database down. */
  @Override
  public void close() {
    try {
      runner.close();
    } finally {
      cleanup.run();
    }
  }

  /** Returns where the tester works, e.g. {@code schema dm_test_1f2e3d on PostgreSQL}. */
  @Override
  public String toString() {
    return "MigrationTester on " + description;
  }

  private static byte[] randomBytes(int count) {
    byte[] bytes = new byte[count];
    RANDOM.nextBytes(bytes);
    return bytes;
  }

  private MigrationRunner runnerFor(MigrationCatalog migrations, int size) {
    return RunnerSettings.forTests(builderFor(migrations), size).build();
  }

  private MigrationRunner.Builder builderFor(MigrationCatalog migrations) {
    MigrationRunner.Builder builder =
        MigrationRunner.configure(dataSource, migrations)
            .table(table)
            .operator("datamigrations-testing")
            .lockTimeout(Duration.ofSeconds(30));
    if (schema != null) {
      builder.schema(schema);
    }
    return builder;
  }

  private MigrationState state(long version) {
    return runner.status().stream()
        .filter(s -> s.version() == version)
        .map(MigrationStatus::state)
        .findFirst()
        .orElse(MigrationState.PENDING);
  }

  private MigrationDescriptor pending(String assertion, long version) {
    MigrationDescriptor migration = migration(version);
    MigrationState state = state(version);
    if (state != MigrationState.PENDING) {
      throw new MigrationTestException(
          assertion
              + " cannot test data migration "
              + migration
              + ": it is already "
              + state
              + " in this database, and the assertion must run it from the start. Call it on a fresh database,"
              + " after migrateBefore(version), not migrateTo(version).");
    }
    return migration;
  }

  private MigrationDescriptor reversible(String assertion, long version) {
    MigrationDescriptor migration = pending(assertion, version);
    if (!migration.reversible()) {
      throw new MigrationTestException(
          assertion
              + " cannot test data migration "
              + migration
              + ": it is irreversible (its class does not override down(Handle)), so down and rollback refuse it"
              + " by design. Test its up with migrateBefore, seed, up and your checks; or implement down if the"
              + " change can be undone.");
    }
    return migration;
  }

  /** Deletes {@code version}'s history row, as someone would by hand to run it again. */
  private void forgetApplied(long version) {
    int deleted =
        jdbi.withHandle(
            h ->
                h.createUpdate("DELETE FROM " + table + " WHERE version = :version")
                    .bind("version", version)
                    .execute());
    if (deleted != 1) {
      throw new IllegalStateException(
          "Expected to delete one history row of version "
              + version
              + " from "
              + table
              + ", deleted "
              + deleted);
    }
  }

  private <X extends Exception> void check(
      String assertion, MigrationDescriptor migration, Phase phase, HandleConsumer<X> check) {
    run(
        assertion,
        migration,
        phase,
        () -> {
          jdbi.useHandle(check);
          return null;
        });
  }

  private static <T> T run(
      String assertion, MigrationDescriptor migration, Phase phase, Step<T> step) {
    try {
      return step.run();
    } catch (MigrationAssertionError e) {
      throw e;
    } catch (AssertionError | Exception e) {
      String message = e.getMessage() == null ? e.getClass().getName() : e.getMessage();
      throw new MigrationAssertionError(assertion, migration, phase, message, e);
    }
  }

  private static BatchCheckFailed batchCheckFailure(Throwable failure) {
    for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
      if (cause instanceof BatchCheckFailed failed) {
        return failed;
      }
    }
    return null;
  }

  /** A step of an assertion, which may throw anything. */
  @FunctionalInterface
  private interface Step<T> {
    T run() throws Exception;
  }

  /** Drops a schema or shuts a database down when the tester closes. */
  @FunctionalInterface
  private interface Cleanup {
    void run();
  }

  /**
   * Carries a batch check's failure through the runner, which reports it as the batch's failure.
   */
  private static final class BatchCheckFailed extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final String batch;

    BatchCheckFailed(String batch, Throwable cause) {
      super("The check after batch " + batch + " failed: " + cause.getMessage(), cause);
      this.batch = batch;
    }
  }

  /**
   * Collects a tester's options. {@link #build()} may be called again for each test: each tester
   * gets a database (or schema) of its own.
   */
  public static final class Builder {
    private final MigrationCatalog catalog;
    private DataSource dataSource;
    private Isolation isolation = Isolation.SCHEMA_PER_TEST;
    private SchemaSetup schemaSetup = dataSource -> {};
    private String table = "data_migrations";
    private int batchSize = 1000;

    private Builder(MigrationCatalog catalog) {
      this.catalog = Objects.requireNonNull(catalog, "catalog");
    }

    /**
     * Runs the tests on {@code dataSource}'s database instead of H2 in memory (a Testcontainers
     * container's, a CI server's), isolated as {@link #isolation} says.
     */
    public Builder dataSource(DataSource dataSource) {
      this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
      return this;
    }

    /** Runs the tests on the database at {@code url} (its driver on the test class path). */
    public Builder url(String url) {
      return dataSource(new UrlDataSource(Objects.requireNonNull(url, "url"), null, null));
    }

    /** Runs the tests on the database at {@code url}, as {@code user}. */
    public Builder url(String url, String user, String password) {
      return dataSource(new UrlDataSource(Objects.requireNonNull(url, "url"), user, password));
    }

    /**
     * Sets how tests on your database are kept apart (default {@link Isolation#SCHEMA_PER_TEST}).
     * Without a data source every tester has an H2 database of its own, and this is not used.
     */
    public Builder isolation(Isolation isolation) {
      this.isolation = Objects.requireNonNull(isolation, "isolation");
      return this;
    }

    /**
     * Sets what builds the schema the migrations need, run when each tester is built (default:
     * nothing).
     */
    public Builder schemaSetup(SchemaSetup schemaSetup) {
      this.schemaSetup = Objects.requireNonNull(schemaSetup, "schemaSetup");
      return this;
    }

    /**
     * Sets the history table's name, as {@link MigrationRunner.Builder#table} (default {@code
     * data_migrations}).
     */
    public Builder table(String table) {
      this.table = Objects.requireNonNull(table, "table");
      return this;
    }

    /**
     * Sets the batch size of backfills run by {@link MigrationTester#up}, {@link
     * MigrationTester#migrateBefore} and the assertions (default 1000); {@link
     * MigrationTester#runBackfill} takes its own.
     */
    public Builder batchSize(int batchSize) {
      if (batchSize < 1) {
        throw new IllegalArgumentException("batchSize must be at least 1, was " + batchSize);
      }
      this.batchSize = batchSize;
      return this;
    }

    /**
     * Returns a tester on a database (H2 in memory) or schema of its own, with the schema set-up
     * applied.
     *
     * @throws MigrationTestException if the database cannot be reached, the schema cannot be
     *     created, or the set-up fails; anything created is dropped again
     */
    public MigrationTester build() {
      if (dataSource == null) {
        return inMemoryH2();
      }
      if (isolation == Isolation.NONE) {
        return withSetup(
            dataSource, null, "the data source's own schema (" + dataSource + ")", () -> {});
      }
      String name = "dm_test_" + HexFormat.of().formatHex(randomBytes(5));
      IsolationDialect dialect;
      try (Connection connection = dataSource.getConnection()) {
        dialect = IsolationDialect.of(connection);
        dialect.create(connection, name);
      } catch (SQLException e) {
        throw new MigrationTestException(
            "Cannot create the test's schema "
                + name
                + " on "
                + dataSource
                + ": "
                + Redaction.redact(e.getMessage()),
            e);
      } catch (IllegalArgumentException e) {
        throw new MigrationTestException(e.getMessage(), e);
      }
      DataSource source = dataSource;
      Cleanup drop =
          () -> {
            try (Connection connection = source.getConnection()) {
              dialect.drop(connection, name);
            } catch (SQLException e) {
              throw new MigrationTestException(
                  "Cannot drop the test's schema " + name + ": " + e.getMessage(), e);
            }
          };
      return withSetup(
          new SchemaBoundDataSource(dataSource, dialect, name),
          name,
          "schema " + name + " on " + dialect.name().toLowerCase(java.util.Locale.ROOT),
          drop);
    }

    private MigrationTester inMemoryH2() {
      String url =
          "jdbc:h2:mem:datamigrations_test_"
              + H2_DATABASES.incrementAndGet()
              + ";DB_CLOSE_DELAY=-1";
      DataSource h2 = new UrlDataSource(url, "sa", "");
      Cleanup shutdown =
          () -> {
            try (Connection connection = h2.getConnection();
                Statement statement = connection.createStatement()) {
              statement.execute("SHUTDOWN");
            } catch (SQLException e) {
              throw new MigrationTestException(
                  "Cannot shut the test's H2 database down: " + e.getMessage(), e);
            }
          };
      return withSetup(h2, null, "H2 in memory (" + url + ")", shutdown);
    }

    private MigrationTester withSetup(
        DataSource source, String schema, String description, Cleanup cleanup) {
      try {
        schemaSetup.apply(source);
      } catch (Exception e) {
        try {
          cleanup.run();
        } catch (RuntimeException dropFailed) {
          e.addSuppressed(dropFailed);
        }
        throw new MigrationTestException(
            "The schema set-up failed on "
                + description
                + ", before any data migration ran: "
                + e.getMessage(),
            e);
      }
      return new MigrationTester(catalog, source, schema, table, batchSize, description, cleanup);
    }
  }
}
