package dev.datamigrations.runtime.backfill.internal;

import dev.datamigrations.runtime.DataMigrationException;
import dev.datamigrations.runtime.backfill.BackfillProgress;
import dev.datamigrations.runtime.backfill.BackfillState;
import dev.datamigrations.runtime.backfill.Batch;
import dev.datamigrations.runtime.backfill.BatchFailure;
import dev.datamigrations.runtime.backfill.Key;
import dev.datamigrations.runtime.backfill.KeyRange;
import dev.datamigrations.runtime.internal.Dialect;
import dev.datamigrations.runtime.internal.TableName;
import dev.datamigrations.runtime.internal.Tables;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The two tables that make backfills resumable and let workers share one: {@code
 * <history>_progress}, one row per started backfill (its state, how far key ranges were handed out,
 * the estimate), and {@code <history>_batches}, one row per key range handed out, marked done in
 * the transaction that processed it. Times are epoch milliseconds ({@code BIGINT}), the same on
 * every database.
 *
 * <p>The batch table's primary key is {@code (version, done, batch_no)}, so that claiming the next
 * open batch ({@code WHERE version = ? AND done = 0 ORDER BY batch_no LIMIT 1}) reads one index
 * entry, however many are done.
 */
final class BackfillTables {
  private final Dialect dialect;
  private final TableName progressName;
  private final TableName batchesName;
  private final TableName errorsName;
  private final String progress;
  private final String batches;
  private final String errors;

  BackfillTables(Dialect dialect, TableName history) {
    this.dialect = dialect;
    this.progressName = history.progressTable();
    this.batchesName = history.batchesTable();
    this.errorsName = new TableName(history.schema(), history.table() + ERRORS_TABLE_SUFFIX);
    this.progress = progressName.sql(dialect);
    this.batches = batchesName.sql(dialect);
    this.errors = errorsName.sql(dialect);
  }

  /**
   * The failed batch attempts of backfills are kept in {@code <history>_errors} (no longer than
   * {@code _progress}, so every valid history table name fits).
   */
  static final String ERRORS_TABLE_SUFFIX = "_errors";

  /** The longest message and stack trace kept per failed attempt. */
  static final int MAX_MESSAGE = 1000;

  static final int MAX_STACK_TRACE = 4000;

  /** The longest text of a failed batch's keys kept. */
  static final int KEYS_TEXT = 200;

  /**
   * {@code cleared} of a failed attempt that counts among its batch's attempts and in the failure
   * window: every attempt until a resume.
   */
  static final int UNCLEARED = 0;

  /** {@code cleared} of a failed attempt a {@code resume} cleared: it counts nowhere any more. */
  static final int RESUMED = 1;

  /**
   * {@code cleared} of a failed attempt of a batch that was then split in halves: each half starts
   * with all its attempts, but the attempt still counts in the failure window and shows in {@code
   * status} until a resume.
   */
  static final int SPLIT = 2;

  /** A progress row as stored. */
  record Row(
      long version,
      BackfillState state,
      long nextKey,
      boolean exhausted,
      long batchesPlanned,
      long totalEstimate,
      int batchSize,
      long startedMillis,
      long updatedMillis) {}

  Dialect dialect() {
    return dialect;
  }

  void createIfAbsent(Connection connection) {
    Tables.createIfAbsent(
        connection,
        dialect,
        progressName,
        "version BIGINT NOT NULL PRIMARY KEY, state VARCHAR(16) NOT NULL, next_key BIGINT NOT NULL,"
            + " exhausted INT NOT NULL, batches_planned BIGINT NOT NULL, total_estimate BIGINT NOT NULL,"
            + " batch_size INT NOT NULL, started_ms BIGINT NOT NULL, updated_ms BIGINT NOT NULL,"
            + " next_tuple "
            + dialect.textType()
            + ", input_sha256 VARCHAR(64), input_name VARCHAR(1000)");
    Tables.createIfAbsent(
        connection,
        dialect,
        batchesName,
        "version BIGINT NOT NULL, done INT NOT NULL, batch_no BIGINT NOT NULL, first_key BIGINT NOT NULL,"
            + " last_key BIGINT NOT NULL, row_count BIGINT NOT NULL, duration_ms BIGINT, done_ms BIGINT,"
            + " worker VARCHAR(200), first_tuple "
            + dialect.textType()
            + ", last_tuple "
            + dialect.textType()
            + ", PRIMARY KEY (version, done, batch_no)");
    addKeyColumns(connection);
    createErrorsIfAbsent(connection);
  }

  /**
   * Adds the columns of non-integer keys and CSV inputs to tables an older version created (a
   * backfill started before the upgrade resumes with them empty: its keys are integers).
   */
  void addKeyColumns(Connection connection) {
    Tables.addColumnIfAbsent(connection, dialect, progressName, "next_tuple", dialect.textType());
    Tables.addColumnIfAbsent(connection, dialect, progressName, "input_sha256", "VARCHAR(64)");
    Tables.addColumnIfAbsent(connection, dialect, progressName, "input_name", "VARCHAR(1000)");
    Tables.addColumnIfAbsent(connection, dialect, batchesName, "first_tuple", dialect.textType());
    Tables.addColumnIfAbsent(connection, dialect, batchesName, "last_tuple", dialect.textType());
  }

  /** The file a CSV backfill started with: its SHA-256 and its name, or nulls if none recorded. */
  record Input(String sha256, String name) {}

  /** Returns the input recorded for {@code version}. */
  Input readInput(Connection connection, long version) throws SQLException {
    try (PreparedStatement statement =
        connection.prepareStatement(
            "SELECT input_sha256, input_name FROM " + progress + " WHERE version = ?")) {
      statement.setLong(1, version);
      try (ResultSet rows = statement.executeQuery()) {
        return rows.next()
            ? new Input(rows.getString(1), rows.getString(2))
            : new Input(null, null);
      }
    }
  }

  /** Records the input of a started backfill unless one is recorded; auto-commit. */
  void recordInput(Connection connection, long version, Input input) throws SQLException {
    try (PreparedStatement statement =
        connection.prepareStatement(
            "UPDATE "
                + progress
                + " SET input_sha256 = ?, input_name = ? WHERE version = ? AND input_sha256 IS NULL")) {
      statement.setString(1, input.sha256());
      String name = input.name();
      statement.setString(2, name.length() > 1000 ? name.substring(name.length() - 1000) : name);
      statement.setLong(3, version);
      statement.executeUpdate();
    }
  }

  /**
   * Creates {@code <history>_errors} if absent: also for backfills started by a version that had no
   * such table, which gain it when they resume.
   */
  void createErrorsIfAbsent(Connection connection) {
    Tables.createIfAbsent(
        connection,
        dialect,
        errorsName,
        "version BIGINT NOT NULL, batch_no BIGINT NOT NULL, attempt INT NOT NULL, failed_ms BIGINT NOT NULL,"
            + " keys_text VARCHAR(200) NOT NULL, error_class VARCHAR(300) NOT NULL, message VARCHAR("
            + MAX_MESSAGE
            + "), stack_trace VARCHAR("
            + MAX_STACK_TRACE
            + "), worker VARCHAR(200), outcome VARCHAR(300) NOT NULL, retry_ms BIGINT NOT NULL,"
            + " cleared INT NOT NULL, PRIMARY KEY (version, batch_no, failed_ms, attempt)");
  }

  boolean exists(Connection connection) throws SQLException {
    return Tables.exists(connection, dialect, progressName);
  }

  /**
   * Returns the progress row of {@code version}, locked until the transaction ends if {@code lock}.
   */
  Row read(Connection connection, long version, boolean lock) throws SQLException {
    String sql =
        "SELECT version, state, next_key, exhausted, batches_planned, total_estimate, batch_size, started_ms,"
            + " updated_ms FROM "
            + progress
            + " WHERE version = ?"
            + (lock && dialect.supportsForUpdate() ? " FOR UPDATE" : "");
    try (PreparedStatement statement = connection.prepareStatement(sql)) {
      statement.setLong(1, version);
      try (ResultSet rows = statement.executeQuery()) {
        return rows.next() ? row(rows) : null;
      }
    }
  }

  /** Returns every progress row by version; empty if the table does not exist. */
  Map<Long, BackfillProgress> readAllProgress(Connection connection) throws SQLException {
    Map<Long, BackfillProgress> all = new HashMap<>();
    if (!exists(connection)) {
      return all;
    }
    java.util.List<Row> rows = new java.util.ArrayList<>();
    try (PreparedStatement statement =
            connection.prepareStatement(
                "SELECT version, state, next_key, exhausted, batches_planned, total_estimate, batch_size,"
                    + " started_ms, updated_ms FROM "
                    + progress);
        ResultSet result = statement.executeQuery()) {
      while (result.next()) {
        rows.add(row(result));
      }
    }
    for (Row row : rows) {
      all.put(row.version(), progress(connection, row));
    }
    return all;
  }

  private static Row row(ResultSet rows) throws SQLException {
    return new Row(
        rows.getLong(1),
        BackfillState.valueOf(rows.getString(2)),
        rows.getLong(3),
        rows.getInt(4) != 0,
        rows.getLong(5),
        rows.getLong(6),
        rows.getInt(7),
        rows.getLong(8),
        rows.getLong(9));
  }

  /**
   * Starts a backfill unless it started already, in auto-commit mode: writes its progress row with
   * nothing handed out yet and the estimate unknown ({@link #estimate} counts it later, outside the
   * run lock). Reads no row of the walked table. Returns the progress row.
   */
  Row startIfAbsent(Connection connection, long version, int batchSize) throws SQLException {
    Row existing = read(connection, version, false);
    if (existing != null) {
      return existing;
    }
    long now = System.currentTimeMillis();
    try (PreparedStatement insert =
        connection.prepareStatement(
            "INSERT INTO "
                + progress
                + " (version, state, next_key, exhausted, batches_planned, total_estimate, batch_size,"
                + " started_ms, updated_ms) VALUES (?, ?, ?, 0, 0, ?, ?, ?, ?)")) {
      insert.setLong(1, version);
      insert.setString(2, BackfillState.RUNNING.name());
      // While no batch is planned, next_key is the lowest key to hand out (inclusive): the whole
      // long range.
      insert.setLong(3, Long.MIN_VALUE);
      insert.setLong(4, UNKNOWN_ESTIMATE);
      insert.setInt(5, batchSize);
      insert.setLong(6, now);
      insert.setLong(7, now);
      insert.executeUpdate();
    }
    return read(connection, version, false);
  }

  /** The estimate of a backfill that has not been counted yet. */
  static final long UNKNOWN_ESTIMATE = -1;

  /**
   * Counts the walked table for the estimate of a started backfill, unless counted already;
   * auto-commit. A full {@code COUNT(*)} can take long on a big table: the caller must not hold the
   * run lock.
   */
  void estimate(Connection connection, long version, BatchSource source) throws SQLException {
    Row row = read(connection, version, false);
    if (row == null || row.totalEstimate() != UNKNOWN_ESTIMATE) {
      return;
    }
    long count = source.count(connection);
    try (PreparedStatement statement =
        connection.prepareStatement(
            "UPDATE "
                + progress
                + " SET total_estimate = ? WHERE version = ? AND total_estimate = ?")) {
      statement.setLong(1, count);
      statement.setLong(2, version);
      statement.setLong(3, UNKNOWN_ESTIMATE);
      statement.executeUpdate();
    }
  }

  /**
   * Hands out the next {@code batches} key ranges as new open batches, in the caller's transaction,
   * with the progress row locked (a few at once, so that a worker seldom waits for this
   * transaction). Returns false if the keys were exhausted before one could be handed out.
   *
   * <p>The cursor is the last key handed out: in {@code next_key} for a single integer key (while
   * nothing is handed out, {@code next_key} is {@code Long.MIN_VALUE} and the walk starts without a
   * lower bound), else encoded in {@code next_tuple} ({@link KeyCodec}).
   */
  boolean allocate(
      Connection connection, long version, BatchSource source, int batchSize, int batches)
      throws SQLException {
    Row row = read(connection, version, true);
    if (row == null || row.exhausted() || row.state() == BackfillState.DONE) {
      return false;
    }
    Key cursor = row.batchesPlanned() == 0 ? null : cursor(connection, version, row, source);
    long planned = row.batchesPlanned();
    boolean exhausted = false;
    for (int i = 0; i < batches && !exhausted; i++) {
      BatchSource.Span span = source.next(connection, cursor, batchSize);
      if (span == null) {
        exhausted = true;
      } else {
        planned++;
        insertBatch(connection, version, planned, span, source.integerKey());
        cursor = span.last();
      }
    }
    try (PreparedStatement statement =
        connection.prepareStatement(
            "UPDATE "
                + progress
                + " SET next_key = ?, next_tuple = ?, batches_planned = ?, batch_size = ?, exhausted = ?,"
                + " updated_ms = ? WHERE version = ?")) {
      boolean integer = cursor == null || source.integerKey();
      statement.setLong(1, cursor == null ? row.nextKey() : integer ? cursor.getLong(0) : 0);
      statement.setString(2, integer ? null : KeyCodec.encode(cursor));
      statement.setLong(3, planned);
      statement.setInt(4, batchSize);
      statement.setInt(5, exhausted ? 1 : 0);
      statement.setLong(6, System.currentTimeMillis());
      statement.setLong(7, version);
      statement.executeUpdate();
    }
    return planned > row.batchesPlanned();
  }

  private Key cursor(Connection connection, long version, Row row, BatchSource source)
      throws SQLException {
    if (source.integerKey()) {
      return Key.of(row.nextKey());
    }
    try (PreparedStatement statement =
        connection.prepareStatement("SELECT next_tuple FROM " + progress + " WHERE version = ?")) {
      statement.setLong(1, version);
      try (ResultSet rows = statement.executeQuery()) {
        String text = rows.next() ? rows.getString(1) : null;
        if (text == null) {
          throw new DataMigrationException(
              "Backfill "
                  + version
                  + " handed out "
                  + row.batchesPlanned()
                  + " batches of integer keys, but its key is no longer one integer column: it"
                  + " cannot resume with another key. Revert it (down) or put its key back.");
        }
        return KeyCodec.decode(text);
      }
    }
  }

  private void insertBatch(
      Connection connection, long version, long number, BatchSource.Span span, boolean integer)
      throws SQLException {
    try (PreparedStatement insert =
        connection.prepareStatement(
            "INSERT INTO "
                + batches
                + " (version, done, batch_no, first_key, last_key, row_count, first_tuple, last_tuple)"
                + " VALUES (?, 0, ?, ?, ?, ?, ?, ?)")) {
      insert.setLong(1, version);
      insert.setLong(2, number);
      insert.setLong(3, integer ? span.first().getLong(0) : 0);
      insert.setLong(4, integer ? span.last().getLong(0) : 0);
      insert.setLong(5, span.count());
      insert.setString(6, integer ? null : KeyCodec.encode(span.first()));
      insert.setString(7, integer ? null : KeyCodec.encode(span.last()));
      insert.executeUpdate();
    }
  }

  /**
   * Claims the lowest open batch in the caller's transaction: locked with {@code FOR UPDATE SKIP
   * LOCKED} where the database has it, so that concurrent workers each get another one. A failed
   * batch waiting for its next attempt ({@code retry_ms} of an uncleared failure still ahead) is
   * passed over. Returns null if none is open (or all open ones are claimed or waiting).
   */
  Batch claim(Connection connection, long version) throws SQLException {
    return claim(connection, version, false, null);
  }

  /**
   * Claims like {@link #claim(Connection, long)}, only while the backfill is RUNNING if {@code
   * running} (the state read in the same statement: null if it is not, or if no batch is open), and
   * with {@code alsoEvaluate}, an SQL expression, evaluated once for the claimed row (null for
   * none): one round trip where a read of the state, the claim and a setting would take three.
   */
  Batch claim(Connection connection, long version, boolean running, String alsoEvaluate)
      throws SQLException {
    String sql =
        "SELECT batch_no, first_key, last_key, row_count, first_tuple, last_tuple"
            + (alsoEvaluate == null ? "" : ", " + alsoEvaluate)
            + " FROM "
            + batches
            + " b WHERE version = ? AND done = 0 AND NOT EXISTS (SELECT 1 FROM "
            + errors
            + " e WHERE e.version = b.version AND e.batch_no = b.batch_no AND e.cleared = 0 AND"
            + " e.retry_ms > ?)"
            + (running
                ? " AND EXISTS (SELECT 1 FROM "
                    + progress
                    + " p WHERE p.version = b.version AND p.state = '"
                    + BackfillState.RUNNING.name()
                    + "')"
                : "")
            + " ORDER BY batch_no LIMIT 1"
            + (dialect.supportsSkipLocked()
                ? " FOR UPDATE SKIP LOCKED"
                : dialect.supportsForUpdate() ? " FOR UPDATE" : "");
    try (PreparedStatement statement = connection.prepareStatement(sql)) {
      statement.setLong(1, version);
      statement.setLong(2, System.currentTimeMillis());
      try (ResultSet rows = statement.executeQuery()) {
        if (!rows.next()) {
          return null;
        }
        String first = rows.getString(5);
        String last = rows.getString(6);
        return first == null
            ? new Batch(rows.getLong(1), rows.getLong(2), rows.getLong(3), rows.getLong(4))
            : new Batch(
                rows.getLong(1), KeyCodec.decode(first), KeyCodec.decode(last), rows.getLong(4));
      }
    }
  }

  /** Marks a claimed batch done, in the transaction that processed it. */
  void markDone(Connection connection, long version, Batch batch, Duration took, String worker)
      throws SQLException {
    try (PreparedStatement statement =
        connection.prepareStatement(
            "UPDATE "
                + batches
                + " SET done = 1, duration_ms = ?, done_ms = ?, worker = ? WHERE version = ? AND done = 0 AND"
                + " batch_no = ?")) {
      statement.setLong(1, took.toMillis());
      statement.setLong(2, System.currentTimeMillis());
      statement.setString(3, worker.length() > 200 ? worker.substring(0, 200) : worker);
      statement.setLong(4, version);
      statement.setLong(5, batch.number());
      if (statement.executeUpdate() != 1) {
        throw new DataMigrationException(
            "Batch "
                + batch.number()
                + " of backfill "
                + version
                + " was done by another worker meanwhile");
      }
    }
  }

  /**
   * The latest batch attempts of a backfill, in every process, with a failed one about to be
   * recorded as the newest: how many were weighed and how many of them failed.
   */
  record Window(int attempts, int failures) {
    /** Returns whether {@code size} attempts were weighed and more than half of them failed. */
    boolean overThreshold(int size) {
      return attempts >= size && failures * 2 > size;
    }

    /** Returns {@code 11 of the last 20 batch attempts failed}. */
    @Override
    public String toString() {
      return failures + " of the last " + attempts + " batch attempts failed";
    }
  }

  /**
   * Returns the latest {@code size} batch attempts of {@code version}, a failed one about to be
   * recorded counted as the newest, the others from the database, whichever process made them:
   * batches done and failed attempts since the last resume, by time. Two queries of at most {@code
   * size} rows, in the caller's transaction (with the progress row locked, so that failing workers
   * weigh one after the other).
   */
  Window window(Connection connection, long version, int size) throws SQLException {
    List<Long> failed =
        times(
            connection,
            "SELECT failed_ms FROM "
                + errors
                + " WHERE version = ? AND cleared <> "
                + RESUMED
                + " ORDER BY failed_ms DESC LIMIT "
                + (size - 1),
            version);
    List<Long> done =
        times(
            connection,
            "SELECT done_ms FROM "
                + batches
                + " WHERE version = ? AND done = 1 ORDER BY done_ms DESC LIMIT "
                + (size - 1),
            version);
    int attempts = 1;
    int failures = 1;
    int f = 0;
    int d = 0;
    while (attempts < size && (f < failed.size() || d < done.size())) {
      if (d >= done.size() || (f < failed.size() && failed.get(f) > done.get(d))) {
        f++;
        failures++;
      } else {
        d++;
      }
      attempts++;
    }
    return new Window(attempts, failures);
  }

  private static List<Long> times(Connection connection, String sql, long version)
      throws SQLException {
    List<Long> times = new ArrayList<>();
    if (sql.endsWith("LIMIT 0")) {
      return times;
    }
    try (PreparedStatement statement = connection.prepareStatement(sql)) {
      statement.setLong(1, version);
      try (ResultSet rows = statement.executeQuery()) {
        while (rows.next()) {
          times.add(rows.getLong(1));
        }
      }
    }
    return times;
  }

  /** Returns whether batch {@code batchNo} is done. */
  boolean isDone(Connection connection, long version, long batchNo) throws SQLException {
    return queryLong(
            connection,
            "SELECT COUNT(*) FROM " + batches + " WHERE version = ? AND done = 1 AND batch_no = ?",
            version,
            batchNo)
        > 0;
  }

  /**
   * Returns how many attempts of batch {@code batchNo} failed since the backfill started, was last
   * resumed, or the batch was last split.
   */
  int failedAttempts(Connection connection, long version, long batchNo) throws SQLException {
    return (int)
        queryLong(
            connection,
            "SELECT COUNT(*) FROM "
                + errors
                + " WHERE version = ? AND batch_no = ? AND cleared = 0",
            version,
            batchNo);
  }

  /**
   * Records a failed attempt, in the caller's transaction; {@code cleared} if it counts no more
   * among its batch's attempts (a batch split in halves). Returns it as recorded (bounded,
   * credentials masked).
   */
  BatchFailure recordFailure(
      Connection connection,
      long version,
      Batch batch,
      int attempt,
      Throwable failure,
      String worker,
      String outcome,
      long retryMillis,
      boolean cleared)
      throws SQLException {
    try (PreparedStatement insert =
        connection.prepareStatement(
            "INSERT INTO "
                + errors
                + " (version, batch_no, attempt, failed_ms, keys_text, error_class, message, stack_trace,"
                + " worker, outcome, retry_ms, cleared) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
      long failedMillis = System.currentTimeMillis();
      BatchFailure recorded =
          new BatchFailure(
              batch.number(),
              // The keys as Key prints them: 33 to 60 for integers, 'a' to 'k' for text, tuples.
              FailureText.storable(batch.firstKey() + " to " + batch.lastKey(), KEYS_TEXT),
              attempt,
              bounded(failure.getClass().getName(), 300),
              FailureText.message(failure, MAX_MESSAGE),
              FailureText.stackTrace(failure, MAX_STACK_TRACE),
              Instant.ofEpochMilli(failedMillis),
              FailureText.storable(worker, 200),
              FailureText.storable(outcome, 300));
      insert.setLong(1, version);
      insert.setLong(2, recorded.batchNumber());
      insert.setInt(3, attempt);
      insert.setLong(4, failedMillis);
      insert.setString(5, recorded.keys());
      insert.setString(6, recorded.errorClass());
      insert.setString(7, recorded.message());
      insert.setString(8, recorded.stackTrace());
      insert.setString(9, recorded.worker());
      insert.setString(10, recorded.outcome());
      insert.setLong(11, retryMillis);
      insert.setInt(12, cleared ? SPLIT : 0);
      insert.executeUpdate();
      return recorded;
    }
  }

  /**
   * Clears the failed attempts of a backfill (on {@code resume}, in the caller's transaction): its
   * batches get all their attempts again; the records stay.
   */
  void clearFailures(Connection connection, long version) throws SQLException {
    if (Tables.exists(connection, dialect, errorsName)) {
      update(
          connection,
          "UPDATE "
              + errors
              + " SET cleared = "
              + RESUMED
              + " WHERE version = ? AND cleared <> "
              + RESUMED,
          version);
    }
  }

  /** Clears the failed attempts of one batch (split in halves: each starts with all attempts). */
  void clearFailures(Connection connection, long version, long batchNo) throws SQLException {
    update(
        connection,
        "UPDATE "
            + errors
            + " SET cleared = "
            + SPLIT
            + " WHERE version = ? AND batch_no = ? AND cleared = "
            + UNCLEARED,
        version,
        batchNo);
  }

  /**
   * Returns the latest failed attempts not cleared by a resume, newest first; empty if the table
   * does not exist (a backfill started before it did).
   */
  List<BatchFailure> recentFailures(Connection connection, long version) throws SQLException {
    List<BatchFailure> failures = new ArrayList<>();
    if (!Tables.exists(connection, dialect, errorsName)) {
      return failures;
    }
    try (PreparedStatement statement =
        connection.prepareStatement(
            "SELECT batch_no, keys_text, attempt, error_class, message, stack_trace, failed_ms, worker,"
                + " outcome FROM "
                + errors
                + " WHERE version = ? AND cleared <> "
                + RESUMED
                + " ORDER BY failed_ms DESC, attempt DESC LIMIT "
                + BackfillProgress.RECENT_FAILURES)) {
      statement.setLong(1, version);
      try (ResultSet rows = statement.executeQuery()) {
        while (rows.next()) {
          failures.add(
              new BatchFailure(
                  rows.getLong(1),
                  rows.getString(2),
                  rows.getInt(3),
                  rows.getString(4),
                  rows.getString(5),
                  rows.getString(6),
                  Instant.ofEpochMilli(rows.getLong(7)),
                  rows.getString(8),
                  rows.getString(9)));
        }
      }
    }
    return failures;
  }

  /**
   * Splits open batch {@code batchNo} in halves by its keys as they are now, in the caller's
   * transaction with the progress row locked: the batch keeps the lower half, a new batch (the next
   * number) gets the upper one. A table walked by one integer column is counted through with {@code
   * BETWEEN}; any other key (composite, text, UUID, a query's) is cut where {@link
   * BatchSource#halves} says, at its median key in the key's order. Returns false, changing
   * nothing, if the batch has fewer than two keys or its source cannot split (a CSV file's rows).
   */
  boolean split(Connection connection, long version, BatchSource source, long batchNo)
      throws SQLException {
    if (source.integerTable().isPresent()) {
      return split(connection, version, source.integerTable().get(), batchNo);
    }
    Row row = read(connection, version, true);
    Batch batch = openBatch(connection, version, batchNo);
    if (row == null || batch == null) {
      return false;
    }
    BatchSource.Halves halves = source.halves(connection, batch);
    if (halves == null) {
      return false;
    }
    boolean integer = source.integerKey();
    BatchSource.Span lower = halves.lower();
    try (PreparedStatement statement =
        connection.prepareStatement(
            "UPDATE "
                + batches
                + " SET last_key = ?, last_tuple = ?, row_count = ? WHERE version = ? AND done = 0 AND"
                + " batch_no = ?")) {
      statement.setLong(1, integer ? lower.last().getLong(0) : 0);
      statement.setString(2, integer ? null : KeyCodec.encode(lower.last()));
      statement.setLong(3, lower.count());
      statement.setLong(4, version);
      statement.setLong(5, batchNo);
      statement.executeUpdate();
    }
    long number = row.batchesPlanned() + 1;
    insertBatch(connection, version, number, halves.upper(), integer);
    update(
        connection,
        "UPDATE " + progress + " SET batches_planned = ? WHERE version = ?",
        number,
        version);
    clearFailures(connection, version, batchNo);
    return true;
  }

  /**
   * Splits a batch of a table walked by one integer column: {@link #split(Connection, long,
   * BatchSource, long)}.
   */
  private boolean split(Connection connection, long version, KeyRange keys, long batchNo)
      throws SQLException {
    Row row = read(connection, version, true);
    Batch batch = openBatch(connection, version, batchNo);
    if (row == null || batch == null) {
      return false;
    }
    String key = dialect.quote(keys.keyColumn());
    long count =
        queryLong(
            connection,
            "SELECT COUNT(*) FROM " + table(keys) + " WHERE " + key + " BETWEEN ? AND ?",
            batch.first(),
            batch.last());
    if (count < 2) {
      return false;
    }
    long lowerLast;
    long lowerCount;
    try (PreparedStatement statement =
        connection.prepareStatement(
            "SELECT MAX(k), COUNT(*) FROM (SELECT "
                + key
                + " AS k FROM "
                + table(keys)
                + " WHERE "
                + key
                + " BETWEEN ? AND ? ORDER BY "
                + key
                + " LIMIT ?) s")) {
      statement.setLong(1, batch.first());
      statement.setLong(2, batch.last());
      statement.setLong(3, count / 2);
      try (ResultSet rows = statement.executeQuery()) {
        rows.next();
        lowerLast = rows.getLong(1);
        lowerCount = rows.getLong(2);
      }
    }
    long upperFirst =
        queryLong(
            connection,
            "SELECT MIN("
                + key
                + ") FROM "
                + table(keys)
                + " WHERE "
                + key
                + " > ? AND "
                + key
                + " <= ?",
            lowerLast,
            batch.last());
    long number = row.batchesPlanned() + 1;
    try (PreparedStatement statement =
        connection.prepareStatement(
            "UPDATE "
                + batches
                + " SET last_key = ?, row_count = ? WHERE version = ? AND done = 0 AND batch_no = ?")) {
      statement.setLong(1, lowerLast);
      statement.setLong(2, lowerCount);
      statement.setLong(3, version);
      statement.setLong(4, batchNo);
      statement.executeUpdate();
    }
    try (PreparedStatement insert =
        connection.prepareStatement(
            "INSERT INTO "
                + batches
                + " (version, done, batch_no, first_key, last_key, row_count) VALUES (?, 0, ?, ?, ?, ?)")) {
      insert.setLong(1, version);
      insert.setLong(2, number);
      insert.setLong(3, upperFirst);
      insert.setLong(4, batch.last());
      insert.setLong(5, Math.max(0, batch.size() - lowerCount));
      insert.executeUpdate();
    }
    update(
        connection,
        "UPDATE " + progress + " SET batches_planned = ? WHERE version = ?",
        number,
        version);
    clearFailures(connection, version, batchNo);
    return true;
  }

  /**
   * Returns open batch {@code batchNo} locked for the caller's transaction, or null if it is done,
   * or (where the database can skip locked rows) held by another worker.
   */
  Batch openBatch(Connection connection, long version, long batchNo) throws SQLException {
    String sql =
        "SELECT batch_no, first_key, last_key, row_count, first_tuple, last_tuple FROM "
            + batches
            + " WHERE version = ? AND done = 0 AND batch_no = ?"
            + (dialect.supportsSkipLocked()
                ? " FOR UPDATE SKIP LOCKED"
                : dialect.supportsForUpdate() ? " FOR UPDATE" : "");
    try (PreparedStatement statement = connection.prepareStatement(sql)) {
      statement.setLong(1, version);
      statement.setLong(2, batchNo);
      try (ResultSet rows = statement.executeQuery()) {
        if (!rows.next()) {
          return null;
        }
        String first = rows.getString(5);
        return first == null
            ? new Batch(rows.getLong(1), rows.getLong(2), rows.getLong(3), rows.getLong(4))
            : new Batch(
                rows.getLong(1),
                KeyCodec.decode(first),
                KeyCodec.decode(rows.getString(6)),
                rows.getLong(4));
      }
    }
  }

  /**
   * Returns the next sub-batch of an open batch: its first {@code size} keys from {@code first}
   * (included) to {@code last}; null if no key is left there.
   */
  Batch subBatch(Connection connection, KeyRange keys, long number, long first, long last, int size)
      throws SQLException {
    String key = dialect.quote(keys.keyColumn());
    try (PreparedStatement statement =
        connection.prepareStatement(
            "SELECT MIN(k), MAX(k), COUNT(*) FROM (SELECT "
                + key
                + " AS k FROM "
                + table(keys)
                + " WHERE "
                + key
                + " BETWEEN ? AND ? ORDER BY "
                + key
                + " LIMIT ?) s")) {
      statement.setLong(1, first);
      statement.setLong(2, last);
      statement.setInt(3, size);
      try (ResultSet rows = statement.executeQuery()) {
        rows.next();
        long count = rows.getLong(3);
        return count == 0 ? null : new Batch(number, rows.getLong(1), rows.getLong(2), count);
      }
    }
  }

  /**
   * Moves an open batch's first key to {@code first} (its sub-batches below are committed), in the
   * transaction of the sub-batch that got there.
   */
  void advance(Connection connection, long version, long batchNo, long first) throws SQLException {
    update(
        connection,
        "UPDATE " + batches + " SET first_key = ? WHERE version = ? AND done = 0 AND batch_no = ?",
        first,
        version,
        batchNo);
  }

  private static String bounded(String text, int max) {
    return text == null || text.length() <= max ? text : text.substring(0, max);
  }

  /** Returns how many batches are handed out and not done, claimed or not. */
  long openBatches(Connection connection, long version) throws SQLException {
    return queryLong(
        connection, "SELECT COUNT(*) FROM " + batches + " WHERE version = ? AND done = 0", version);
  }

  /** Runs {@code sql}, a query of one row, with {@code parameters}; returns its first column. */
  private static long queryLong(Connection connection, String sql, long... parameters)
      throws SQLException {
    try (PreparedStatement statement = connection.prepareStatement(sql)) {
      for (int i = 0; i < parameters.length; i++) {
        statement.setLong(i + 1, parameters[i]);
      }
      try (ResultSet rows = statement.executeQuery()) {
        rows.next();
        return rows.getLong(1);
      }
    }
  }

  /**
   * Sets the state of a started backfill if it is one of {@code from}; returns whether it changed.
   */
  boolean changeState(
      Connection connection,
      long version,
      BackfillState to,
      java.util.Collection<BackfillState> from)
      throws SQLException {
    return changeState(connection, version, to, from.toArray(BackfillState[]::new));
  }

  /**
   * Sets the state of a started backfill if it is one of {@code from}; returns whether it changed.
   */
  boolean changeState(Connection connection, long version, BackfillState to, BackfillState... from)
      throws SQLException {
    StringBuilder sql =
        new StringBuilder(
            "UPDATE "
                + progress
                + " SET state = ?, updated_ms = ? WHERE version = ? AND state IN (");
    for (int i = 0; i < from.length; i++) {
      sql.append(i == 0 ? "?" : ", ?");
    }
    try (PreparedStatement statement = connection.prepareStatement(sql.append(")").toString())) {
      statement.setString(1, to.name());
      statement.setLong(2, System.currentTimeMillis());
      statement.setLong(3, version);
      for (int i = 0; i < from.length; i++) {
        statement.setString(4 + i, from[i].name());
      }
      return statement.executeUpdate() == 1;
    }
  }

  /**
   * Forgets a backfill (after its {@code down}, or a done one whose history row is gone), so that
   * it can run again from the start; in the caller's transaction.
   */
  void delete(Connection connection, long version) throws SQLException {
    if (!exists(connection)) {
      return;
    }
    update(connection, "DELETE FROM " + batches + " WHERE version = ?", version);
    if (Tables.exists(connection, dialect, errorsName)) {
      update(connection, "DELETE FROM " + errors + " WHERE version = ?", version);
    }
    update(connection, "DELETE FROM " + progress + " WHERE version = ?", version);
  }

  /** Returns the progress of {@code version}, or null if it has not started. */
  BackfillProgress progress(Connection connection, long version) throws SQLException {
    Row row = read(connection, version, false);
    return row == null ? null : progress(connection, row);
  }

  private BackfillProgress progress(Connection connection, Row row) throws SQLException {
    long batchesDone;
    long rowsDone;
    long longest;
    long lastDone;
    try (PreparedStatement statement =
        connection.prepareStatement(
            "SELECT COUNT(*), COALESCE(SUM(row_count), 0), COALESCE(MAX(duration_ms), 0), COALESCE(MAX(done_ms), 0)"
                + " FROM "
                + batches
                + " WHERE version = ? AND done = 1")) {
      statement.setLong(1, row.version());
      try (ResultSet rows = statement.executeQuery()) {
        rows.next();
        batchesDone = rows.getLong(1);
        rowsDone = rows.getLong(2);
        longest = rows.getLong(3);
        lastDone = rows.getLong(4);
      }
    }
    boolean done = row.state() == BackfillState.DONE;
    long total = done ? rowsDone : Math.max(rowsDone, row.totalEstimate());
    long updated = Math.max(row.updatedMillis(), lastDone);
    long end = done ? updated : Math.max(updated, System.currentTimeMillis());
    double seconds = Math.max(0.001, (end - row.startedMillis()) / 1000.0);
    double rate = rowsDone == 0 ? 0 : rowsDone / seconds;
    Duration eta =
        done
            ? Duration.ZERO
            : rate == 0 ? null : Duration.ofMillis((long) ((total - rowsDone) / rate * 1000));
    return new BackfillProgress(
        row.version(),
        row.state(),
        rowsDone,
        total,
        batchesDone,
        row.batchSize(),
        Instant.ofEpochMilli(row.startedMillis()),
        Instant.ofEpochMilli(updated),
        rate,
        eta,
        Duration.ofMillis(longest),
        recentFailures(connection, row.version()));
  }

  private String table(KeyRange keys) {
    return new TableName(keys.schema(), keys.table()).sql(dialect);
  }

  private static void update(Connection connection, String sql, long... values)
      throws SQLException {
    try (PreparedStatement statement = connection.prepareStatement(sql)) {
      for (int i = 0; i < values.length; i++) {
        statement.setLong(i + 1, values[i]);
      }
      statement.executeUpdate();
    }
  }
}
