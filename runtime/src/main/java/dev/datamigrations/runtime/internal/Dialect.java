package dev.datamigrations.runtime.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import java.util.Set;
import java.util.function.Supplier;

/**
 * What differs between the databases the runtime supports: identifier quoting, the history table's
 * DDL, how {@code applied_at} is stored, and which {@link RunLock} guards a run.
 *
 * <p>{@code applied_at} is always UTC. It is a {@code TIMESTAMP} (MySQL/MariaDB: {@code
 * DATETIME(3)}, which unlike their {@code TIMESTAMP} is neither converted to the session time zone
 * nor limited to 2038) written and read as a {@link LocalDateTime} in UTC through JDBC 4.2's {@code
 * setObject}/{@code getObject}, so the JVM's default time zone never shifts it. SQLite has no date
 * type: there it is {@code TEXT} in SQLite's own {@code yyyy-MM-dd HH:mm:ss.SSS} format, which its
 * date functions understand. Millisecond precision everywhere.
 */
public enum Dialect {
  H2 {
    @Override
    public String fold(String identifier) {
      return identifier.toUpperCase(Locale.ROOT);
    }

    @Override
    public String lockWaitSql(long millis) {
      // H2 waits LOCK_TIMEOUT (2 s by default) for a row lock; bound each attempt by the time left.
      return "SET LOCK_TIMEOUT " + millis;
    }

    @Override
    public String currentLockWaitSql() {
      return "SELECT LOCK_TIMEOUT()";
    }

    @Override
    public boolean commitsImplicitly(String first, String second, String statement) {
      // H2's grammar: every one of these "commits an open transaction in this connection"; so does
      // switching
      // autocommit on (SET AUTOCOMMIT TRUE).
      return ImplicitCommits.H2.contains(first)
          || (first.equals("SET") && AUTOCOMMIT.matcher(statement).find());
    }

    @Override
    public String displayName() {
      return "H2";
    }
  },
  POSTGRESQL {
    @Override
    public String fold(String identifier) {
      return identifier.toLowerCase(Locale.ROOT);
    }

    @Override
    RunLock acquireRunLock(
        Connection migrations,
        Supplier<ConnectionSource.Lease> ownConnection,
        TableName history,
        LockWait wait,
        boolean createTables) {
      return AdvisoryRunLock.acquire(migrations, ownConnection, history, wait);
    }
  },
  /** MySQL and MariaDB. */
  MYSQL {
    @Override
    public String quote(String identifier) {
      return "`" + fold(identifier) + "`";
    }

    @Override
    RunLock acquireRunLock(
        Connection migrations,
        Supplier<ConnectionSource.Lease> ownConnection,
        TableName history,
        LockWait wait,
        boolean createTables) {
      return NamedRunLock.acquire(migrations, history, wait);
    }

    @Override
    String timestampType() {
      return "DATETIME(3)";
    }

    @Override
    String tableOptions() {
      // The history row must roll back with the migration: InnoDB, whatever the server's default
      // engine.
      return " ENGINE=InnoDB DEFAULT CHARSET=utf8mb4";
    }

    @Override
    public boolean commitsImplicitly(String first, String second, String statement) {
      // https://dev.mysql.com/doc/refman/8.0/en/implicit-commit.html and MariaDB's equivalent page;
      // temporary
      // tables are the exception: creating or dropping one does not commit.
      if ((first.equals("CREATE") || first.equals("DROP")) && second.equals("TEMPORARY")) {
        return false;
      }
      if (first.equals("SET")) {
        // Switching autocommit on commits; it may be spelled SET SESSION autocommit, SET
        // @@autocommit,
        // SET @@session.autocommit, or be one of several assignments: looked for in the whole
        // statement.
        return second.equals("PASSWORD") || AUTOCOMMIT.matcher(statement).find();
      }
      return ImplicitCommits.MYSQL.contains(first);
    }

    @Override
    public String displayName() {
      return "MySQL/MariaDB";
    }
  },
  SQLITE {
    private static final DateTimeFormatter FORMAT =
        DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS", Locale.ROOT);

    @Override
    String timestampType() {
      return "TEXT";
    }

    @Override
    public boolean hasSchemas() {
      return false;
    }

    @Override
    RunLock acquireRunLock(
        Connection migrations,
        Supplier<ConnectionSource.Lease> ownConnection,
        TableName history,
        LockWait wait,
        boolean createTables) {
      return FileRunLock.acquire(migrations, history, wait);
    }

    @Override
    void writeTimestamp(PreparedStatement statement, int index, Instant instant)
        throws SQLException {
      statement.setString(index, FORMAT.format(LocalDateTime.ofInstant(instant, ZoneOffset.UTC)));
    }

    @Override
    Instant readTimestamp(ResultSet rows, int index) throws SQLException {
      String text = rows.getString(index);
      return text == null ? null : LocalDateTime.parse(text, FORMAT).toInstant(ZoneOffset.UTC);
    }
  },
  /** Any other database: ANSI quoting and DDL, no {@code IF NOT EXISTS}, a lock table. */
  GENERIC {
    @Override
    public boolean supportsCreateIfNotExists() {
      return false;
    }
  };

  /**
   * Returns the dialect of a database from its {@code DatabaseMetaData.getDatabaseProductName()}.
   */
  public static Dialect detect(String productName) {
    String name = productName == null ? "" : productName.toLowerCase(Locale.ROOT);
    if (name.equals("h2")) {
      return H2;
    } else if (name.contains("postgresql")) {
      return POSTGRESQL;
    } else if (name.contains("mysql") || name.contains("mariadb")) {
      return MYSQL;
    } else if (name.contains("sqlite")) {
      return SQLITE;
    }
    return GENERIC;
  }

  /**
   * Returns {@code identifier}, already checked by {@link Identifiers}, folded to the case this
   * database gives unquoted names and then quoted: quoting keeps configuration out of the SQL
   * grammar, folding keeps the table the one a user reaches by typing {@code SELECT * FROM
   * data_migrations} (on H2 that is {@code DATA_MIGRATIONS}).
   */
  public String quote(String identifier) {
    return "\"" + fold(identifier) + "\"";
  }

  /** Returns {@code identifier} in the case this database stores unquoted names in. */
  public String fold(String identifier) {
    return identifier;
  }

  /** Returns whether {@code CREATE TABLE IF NOT EXISTS} is understood. */
  public boolean supportsCreateIfNotExists() {
    return true;
  }

  /**
   * Returns whether {@code SELECT ... FOR UPDATE SKIP LOCKED} is understood (PostgreSQL, MySQL 8,
   * MariaDB 10.6): then several workers can share a backfill; elsewhere one worker runs it, holding
   * the run lock.
   */
  public boolean supportsSkipLocked() {
    return this == POSTGRESQL || this == MYSQL;
  }

  /**
   * Returns whether row values compare as tuples ({@code (a, b) > (?, ?)}): PostgreSQL,
   * MySQL/MariaDB, H2, and SQLite from 3.15 (2016; the bundled driver's is newer). Elsewhere a
   * backfill's keyset pagination over a composite key writes the expanded {@code a > ? OR (a = ?
   * AND b > ?)}.
   */
  public boolean supportsRowValueComparison() {
    return this != GENERIC;
  }

  /**
   * Returns the type of a column of unbounded text the runtime's own tables store (a backfill's key
   * tuples): {@code TEXT} where it exists, else a long {@code VARCHAR}.
   */
  public String textType() {
    return switch (this) {
      case H2 -> "VARCHAR(1000000)";
      case GENERIC -> "VARCHAR(4000)";
      default -> "TEXT";
    };
  }

  /**
   * Returns whether {@code SELECT ... FOR UPDATE} is understood (not on SQLite, which locks the
   * database).
   */
  public boolean supportsForUpdate() {
    return this != SQLITE;
  }

  /**
   * Returns whether DDL statements commit the open transaction (H2, MySQL, MariaDB): there a
   * transactional migration's DDL is refused before it runs ({@link CommitGuard}); PostgreSQL and
   * SQLite roll DDL back with the data.
   */
  public boolean commitsDdlImplicitly() {
    return commitsImplicitly("CREATE", "TABLE", "CREATE TABLE");
  }

  /**
   * Returns whether {@code statement}, starting with the keywords {@code first} and {@code second}
   * (upper case, empty when absent), commits the open transaction implicitly on this database.
   */
  public boolean commitsImplicitly(String first, String second, String statement) {
    return false;
  }

  private static final java.util.regex.Pattern AUTOCOMMIT =
      java.util.regex.Pattern.compile("(?i)(?<![A-Za-z0-9_$])autocommit(?![A-Za-z0-9_$])");

  /**
   * Returns whether a backslash escapes the next character inside quotes (MySQL and MariaDB, by
   * default); elsewhere it is an ordinary character, and {@code 'C:\'} is a whole string.
   */
  public boolean backslashEscapesInQuotes() {
    return this == MYSQL;
  }

  /**
   * Returns whether {@code $$ ... $$} and {@code $tag$ ... $tag$} quote a string (PostgreSQL's
   * dollar quotes).
   */
  public boolean hasDollarQuotes() {
    return this == POSTGRESQL;
  }

  /** Returns the database's name for messages. */
  public String displayName() {
    String name = name().toLowerCase(Locale.ROOT);
    return switch (this) {
      case POSTGRESQL -> "PostgreSQL";
      case SQLITE -> "SQLite";
      default -> name;
    };
  }

  /**
   * Returns a statement that bounds the next row-lock wait of the session, or null if there is
   * none.
   */
  public String lockWaitSql(long millis) {
    return null;
  }

  /**
   * Returns a query for the session's current row-lock wait in milliseconds, or null if there is
   * none.
   */
  public String currentLockWaitSql() {
    return null;
  }

  /**
   * Returns the statement that opens a backfill's batch transaction in auto-commit mode, or null to
   * open it with {@code setAutoCommit(false)}. SQLite's default {@code BEGIN} is deferred: a
   * transaction that reads (the claim) and then writes fails with {@code SQLITE_BUSY} when another
   * connection wrote meanwhile, without waiting; {@code BEGIN IMMEDIATE} takes the write lock
   * first, so it waits (busy timeout) instead.
   */
  public String beginWriteTransactionSql() {
    return this == SQLITE ? "BEGIN IMMEDIATE" : null;
  }

  /**
   * Returns the isolation a backfill worker's connection runs at, or null to keep the connection's
   * own. MySQL and MariaDB take gap locks at REPEATABLE READ, so workers that claim and hand out
   * batches would block each other; READ COMMITTED needs only the committed rows.
   */
  public Integer backfillWorkerIsolation() {
    return this == MYSQL ? java.sql.Connection.TRANSACTION_READ_COMMITTED : null;
  }

  /**
   * Returns whether the database refused a statement for a reason that a new attempt of the
   * transaction may clear: SQLSTATE class 40 (deadlock, serialization failure) everywhere, and on
   * SQLite {@code SQLITE_BUSY} or {@code SQLITE_LOCKED} (another connection held the database
   * longer than the busy timeout).
   */
  public boolean isTransient(java.sql.SQLException e) {
    if (e.getSQLState() != null && e.getSQLState().startsWith("40")) {
      return true;
    }
    int primary = e.getErrorCode() & 0xff;
    return this == SQLITE && (primary == 5 || primary == 6);
  }

  /**
   * Returns the statement that bounds every later statement of the current transaction to {@code
   * millis}, or null where the database has no such bound (SQLite, generic): PostgreSQL {@code SET
   * LOCAL statement_timeout} (ends with the transaction), MySQL/MariaDB {@code max_statement_time}
   * and H2 {@code QUERY_TIMEOUT} (session settings: {@link #resetStatementTimeoutSql()} undoes
   * them).
   */
  public String statementTimeoutSql(long millis) {
    return switch (this) {
      case POSTGRESQL -> "SET LOCAL statement_timeout = " + millis;
      case MYSQL ->
          "SET SESSION max_statement_time = "
              + java.math.BigDecimal.valueOf(millis, 3).toPlainString();
      case H2 -> "SET QUERY_TIMEOUT " + millis;
      default -> null;
    };
  }

  /**
   * Returns the statement that lifts the bound of {@link #statementTimeoutSql} after the
   * transaction, or null if it ends with the transaction.
   */
  public String resetStatementTimeoutSql() {
    return switch (this) {
      case MYSQL -> "SET SESSION max_statement_time = DEFAULT";
      case H2 -> "SET QUERY_TIMEOUT 0";
      default -> null;
    };
  }

  /**
   * Returns whether the database cancelled a statement because it ran past the bound of {@link
   * #statementTimeoutSql}: SQLSTATE 57014 (PostgreSQL, H2), MariaDB error 1969.
   */
  public boolean isStatementTimeout(java.sql.SQLException e) {
    return "57014".equals(e.getSQLState()) || (this == MYSQL && e.getErrorCode() == 1969);
  }

  /**
   * Returns a query of one number, how many other sessions wait for a lock this session holds, or
   * null where the database cannot tell: PostgreSQL only ({@code pg_blocking_pids}). MariaDB's
   * {@code information_schema.innodb_lock_waits} was tried: asked from the lock holder's own
   * connection (MariaDB 10.11) it did not report the session waiting on it, so it is not offered.
   */
  public String sessionsWaitingOnThisOneSql() {
    return this == POSTGRESQL
        ? "SELECT COUNT(*) FROM pg_stat_activity WHERE pid <> pg_backend_pid()"
            + " AND pg_backend_pid() = ANY(pg_blocking_pids(pid))"
        : null;
  }

  /** The {@code application_name} prefix of a backfill worker's session (PostgreSQL). */
  public static final String BACKFILL_APPLICATION_NAME = "datamigrations backfill";

  /**
   * Returns the statement that names a backfill worker's session, so that {@link
   * #busySessionsSql()} does not count the backfill's own workers, with one parameter, the name to
   * set; or null where sessions are not named (everywhere but PostgreSQL). Session level: the
   * worker sets the name it found back when it stops.
   */
  public String setApplicationNameSql() {
    return this == POSTGRESQL ? "SELECT set_config('application_name', ?, false)" : null;
  }

  /** Returns the query of the session's {@code application_name}, or null (see above). */
  public String applicationNameSql() {
    return this == POSTGRESQL ? "SELECT current_setting('application_name')" : null;
  }

  /**
   * Returns the SQL expression evaluated in each backfill batch's transaction when its commit need
   * not wait for the disk, or null where there is none: PostgreSQL's {@code synchronous_commit =
   * off}, local to the transaction (so it never leaks to a pooled connection).
   */
  public String relaxedCommitExpression() {
    return this == POSTGRESQL ? "set_config('synchronous_commit', 'off', true)" : null;
  }

  /**
   * Returns a query of one number, how many other client sessions of the current database are busy
   * now (running a statement, or holding a transaction open), backfill workers not counted; or null
   * where the database is not asked (everywhere but PostgreSQL).
   */
  public String busySessionsSql() {
    return this == POSTGRESQL
        ? "SELECT COUNT(*) FROM pg_stat_activity WHERE pid <> pg_backend_pid()"
            + " AND datname = current_database() AND backend_type = 'client backend'"
            + " AND state IN ('active', 'idle in transaction', 'idle in transaction (aborted)')"
            + " AND application_name NOT LIKE '"
            + BACKFILL_APPLICATION_NAME
            + "%'"
        : null;
  }

  /**
   * Returns whether JDBC metadata calls this database's schemas catalogs (MySQL, MariaDB: a schema
   * is a database).
   */
  public boolean schemasAreCatalogs() {
    return this == MYSQL;
  }

  /**
   * Returns whether a single-column primary key of {@code typeName} can never hold NULL. True
   * everywhere but on SQLite, where only an {@code INTEGER PRIMARY KEY} (the rowid) is never NULL:
   * any other primary key accepts NULL unless declared {@code NOT NULL}.
   */
  public boolean primaryKeyIsNotNull(String typeName) {
    return this != SQLITE || "INTEGER".equalsIgnoreCase(typeName);
  }

  /**
   * Returns whether a column declared {@code UUID} holds UUIDs that compare as UUIDs. Not on
   * SQLite, which has no UUID type: such a column holds text, in whatever case it was written, and
   * compares as text.
   */
  public boolean hasUuidType() {
    return this != SQLITE;
  }

  /**
   * Returns the names of {@code table}'s partial indexes (with a {@code WHERE}) where JDBC metadata
   * does not say which they are (its {@code FILTER_CONDITION}): SQLite's, from {@code PRAGMA
   * index_list}. Empty elsewhere.
   */
  public Set<String> partialIndexes(Connection connection, String schema, String table)
      throws SQLException {
    if (this != SQLITE) {
      return Set.of();
    }
    Set<String> partial = new java.util.HashSet<>();
    String pragma =
        "PRAGMA "
            + (schema == null ? "" : quote(schema) + ".")
            + "index_list("
            + quote(table)
            + ")";
    try (java.sql.Statement statement = connection.createStatement();
        ResultSet rows = statement.executeQuery(pragma)) {
      while (rows.next()) {
        if (rows.getInt("partial") == 1) {
          partial.add(rows.getString("name"));
        }
      }
    }
    return partial;
  }

  /**
   * Takes the run lock of {@code history}'s runs (see {@link RunLock#acquire}): a row lock on a
   * one-row lock table, held by an open transaction on a connection of its own, unless the database
   * has a better lock.
   */
  RunLock acquireRunLock(
      Connection migrations,
      Supplier<ConnectionSource.Lease> ownConnection,
      TableName history,
      LockWait wait,
      boolean createTables) {
    return LockTableRunLock.acquire(this, ownConnection.get(), history, wait, createTables);
  }

  /**
   * Returns whether a connection has a current schema that JDBC metadata filters by ({@code
   * getSchema()}); not on SQLite, whose attached databases are no schemas to the driver.
   */
  public boolean hasSchemas() {
    return true;
  }

  /**
   * Returns the DDL that creates {@code name} with {@code columns} (the text between the
   * parentheses) unless it exists, where {@code IF NOT EXISTS} is understood, with this database's
   * table options.
   */
  public String createTableDdl(TableName name, String columns) {
    return create(name) + " (" + columns + ")" + tableOptions();
  }

  /** Returns the DDL that creates the history table. */
  String historyTableDdl(TableName name) {
    return create(name)
        + " (version BIGINT NOT NULL PRIMARY KEY,"
        + " description VARCHAR("
        + HistoryTable.TEXT_LENGTH
        + ") NOT NULL,"
        + " class_name VARCHAR("
        + HistoryTable.TEXT_LENGTH
        + ") NOT NULL,"
        + " applied_at "
        + timestampType()
        + " NOT NULL,"
        + " execution_ms BIGINT NOT NULL,"
        + " applied_by VARCHAR("
        + HistoryTable.TEXT_LENGTH
        + ") NOT NULL,"
        + " reason VARCHAR("
        + HistoryTable.REASON_LENGTH
        + "), "
        + String.join(", ", HistoryTable.ADDED_COLUMNS)
        + ")"
        + tableOptions();
  }

  /**
   * Returns the DDL that adds {@code column} (name and type) to {@code table}: {@code ALTER TABLE
   * ... ADD COLUMN IF NOT EXISTS} where that is understood (H2, PostgreSQL), else {@code ADD
   * COLUMN} (MySQL has no {@code IF NOT EXISTS} there, nor has SQLite), whose failure the caller
   * accepts when the column exists afterwards.
   */
  public String addColumnDdl(TableName table, String column) {
    return "ALTER TABLE "
        + table.sql(this)
        + (supportsAddColumnIfNotExists() ? " ADD COLUMN IF NOT EXISTS " : " ADD COLUMN ")
        + column;
  }

  /**
   * Returns the query that reads this session's bound on how long a DDL statement waits for a lock
   * another transaction holds on its table, or null where there is none to set: H2 and SQLite bound
   * that wait on their own ({@code LOCK_TIMEOUT}, the busy timeout), while PostgreSQL's {@code
   * lock_timeout} and MySQL's {@code lock_wait_timeout} default to forever and a year.
   */
  public String ddlLockTimeoutQuery() {
    return switch (this) {
      case POSTGRESQL -> "SHOW lock_timeout";
      case MYSQL -> "SELECT @@SESSION.lock_wait_timeout";
      default -> null;
    };
  }

  /**
   * Returns {@code timeout} as a value of that setting, within its range (0 would mean no bound):
   * whole seconds on MySQL, at most a year; milliseconds on PostgreSQL, at most {@code INT_MAX}.
   */
  public String ddlLockTimeoutValue(java.time.Duration timeout) {
    long millis =
        timeout.isNegative()
            ? 0
            : timeout.compareTo(java.time.Duration.ofMillis(Integer.MAX_VALUE)) > 0
                ? Integer.MAX_VALUE
                : timeout.toMillis();
    return this == MYSQL
        ? Long.toString(Math.min(31_536_000L, Math.max(1, (millis + 999) / 1000)))
        : Math.max(1, millis) + "ms";
  }

  /**
   * Returns the statement that sets that bound to {@code value}, as {@link #ddlLockTimeoutValue}
   * gives it or {@link #ddlLockTimeoutQuery} reads it.
   */
  public String setDdlLockTimeout(String value) {
    return this == MYSQL
        ? "SET SESSION lock_wait_timeout = " + Long.parseLong(value.strip())
        : "SET lock_timeout = '" + value.replace("'", "''") + "'";
  }

  /** Returns whether {@code ALTER TABLE ... ADD COLUMN IF NOT EXISTS} is understood. */
  public boolean supportsAddColumnIfNotExists() {
    return this == H2 || this == POSTGRESQL;
  }

  /** Returns the DDL that creates the one-row lock table of {@link LockTableRunLock}. */
  String lockTableDdl(TableName name) {
    return create(name) + " (id INT NOT NULL PRIMARY KEY)" + tableOptions();
  }

  private String create(TableName name) {
    return (supportsCreateIfNotExists() ? "CREATE TABLE IF NOT EXISTS " : "CREATE TABLE ")
        + name.sql(this);
  }

  String timestampType() {
    return "TIMESTAMP";
  }

  String tableOptions() {
    return "";
  }

  void writeTimestamp(PreparedStatement statement, int index, Instant instant) throws SQLException {
    statement.setObject(
        index, LocalDateTime.ofInstant(instant.truncatedTo(ChronoUnit.MILLIS), ZoneOffset.UTC));
  }

  Instant readTimestamp(ResultSet rows, int index) throws SQLException {
    LocalDateTime value = rows.getObject(index, LocalDateTime.class);
    return value == null ? null : value.toInstant(ZoneOffset.UTC);
  }

  /**
   * The first keywords of the statements that commit implicitly, per database (read per statement:
   * constants).
   */
  private static final class ImplicitCommits {
    static final Set<String> H2 =
        Set.of(
            "CREATE",
            "ALTER",
            "DROP",
            "TRUNCATE",
            "COMMENT",
            "GRANT",
            "REVOKE",
            "ANALYZE",
            "CHECKPOINT",
            "SHUTDOWN",
            "RUNSCRIPT");
    static final Set<String> MYSQL =
        Set.of(
            "CREATE",
            "ALTER",
            "DROP",
            "RENAME",
            "TRUNCATE",
            "GRANT",
            "REVOKE",
            "LOCK",
            "UNLOCK",
            "BEGIN",
            "START",
            "STOP",
            "ANALYZE",
            "OPTIMIZE",
            "REPAIR",
            "CHECK",
            "CACHE",
            "FLUSH",
            "RESET",
            "INSTALL",
            "UNINSTALL",
            "CHANGE",
            "IMPORT",
            "XA");
  }
}
