package dev.datamigrations.runtime.internal;

import dev.datamigrations.runtime.CommitRefusedException;
import dev.datamigrations.runtime.MigrationDescriptor;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.CallableStatement;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;

/**
 * Keeps a transactional migration from committing apart from its history row: the migrations'
 * connection is wrapped, and while a transactional migration runs, every SQL text that reaches the
 * database through it (Jdbi statements, and raw JDBC on {@code handle.getConnection()}: {@code
 * prepareStatement}, {@code prepareCall}, and a {@link Statement}'s {@code execute*} and {@code
 * addBatch}) is classified by its first keywords, per statement. A statement that would commit
 * implicitly on this database (DDL on H2, MySQL and MariaDB; the lists are on {@link Dialect}) or
 * that ends the transaction ({@code COMMIT}, {@code ROLLBACK}, anywhere), and the calls {@code
 * commit()}, {@code rollback()} and {@code setAutoCommit(true)}, are refused before they run with a
 * {@link CommitRefusedException}, so that the migration's earlier changes can still be rolled back.
 * A backfill worker arms it the same way around each batch's {@code process}, which commits with
 * the batch's done mark.
 *
 * <p>Cheap: while disarmed (the runner's own work) a call costs one proxy dispatch; while armed,
 * one scan of each SQL text, and a plain {@link Statement} is wrapped only when created while
 * armed. The refusal is remembered, so a migration that catches it and goes on still fails.
 */
public final class CommitGuard {
  private static final String DDL_ADVICE =
      "Use transactional = false, or put DDL in your schema migrations (Flyway/Liquibase).";
  private static final String COMMIT_ADVICE =
      "Use transactional = false for a migration that must commit as it goes (it must then be safe to re-run).";
  private static final String BATCH_ADVICE =
      "A batch commits once, when process returns: make it smaller (batchSize) instead of committing in it.";
  private final Dialect dialect;
  private volatile MigrationDescriptor armed;
  private volatile CommitRefusedException refusal;
  private volatile StatementLog log;

  private CommitGuard(Dialect dialect) {
    this.dialect = dialect;
  }

  /**
   * Returns {@code connection} wrapped in a guard. The guard starts disarmed: the runner's own DDL
   * (history and backfill tables) and commits pass.
   */
  public static Connection wrap(Connection connection) throws SQLException {
    if (of(connection) != null) {
      return connection;
    }
    Dialect dialect = Dialect.detect(connection.getMetaData().getDatabaseProductName());
    CommitGuard guard = new CommitGuard(dialect);
    return (Connection)
        Proxy.newProxyInstance(
            CommitGuard.class.getClassLoader(),
            new Class<?>[] {Connection.class},
            new ConnectionHandler(connection, guard));
  }

  /** Returns the guard of a connection made by {@link #wrap}, or null for any other connection. */
  public static CommitGuard of(Connection connection) {
    if (Proxy.isProxyClass(connection.getClass())
        && Proxy.getInvocationHandler(connection) instanceof ConnectionHandler handler) {
      return handler.guard;
    }
    return null;
  }

  /** Starts refusing implicitly committing SQL, on behalf of {@code migration}. */
  public void arm(MigrationDescriptor migration) {
    refusal = null;
    armed = migration;
  }

  /** Stops refusing; returns the refusal made while armed, or null. */
  public CommitRefusedException disarm() {
    armed = null;
    CommitRefusedException made = refusal;
    refusal = null;
    return made;
  }

  /**
   * Starts reporting every statement the connection hands out from now on, and its update counts,
   * to {@code log}: for a dry run, which shows what a migration would change.
   */
  void record(StatementLog log) {
    this.log = log;
  }

  /** Stops reporting statements created from now on. */
  void stopRecording() {
    this.log = null;
  }

  /**
   * Throws if armed and {@code sql} holds a statement that would commit implicitly or end the
   * transaction.
   */
  private void check(String sql) {
    MigrationDescriptor migration = armed;
    if (migration == null || sql == null) {
      return;
    }
    String head = committingHead(dialect, sql);
    if (head != null) {
      boolean ddl = head.matches("(CREATE|ALTER|DROP|TRUNCATE|RENAME|COMMENT)\\b.*");
      boolean control = endsTransaction(first(head), second(head));
      refuse(
          migration,
          head,
          "ran "
              + (control
                  ? head
                  : ddl
                      ? "DDL (" + head + " ...)"
                      : "a statement that commits implicitly (" + head + " ...)")
              + " inside its transaction; "
              + (control
                  ? committedBy(migration)
                  : dialect.displayName()
                      + " commits "
                      + (ddl ? "DDL" : "it")
                      + " implicitly, so it cannot be rolled back there."),
          control ? commitAdvice(migration) : DDL_ADVICE);
    }
  }

  /** Throws if armed: a call that commits or rolls back the migration's transaction. */
  private void checkCall(String call) {
    MigrationDescriptor migration = armed;
    if (migration != null) {
      refuse(
          migration,
          call,
          "called " + call + " inside its transaction; " + committedBy(migration),
          commitAdvice(migration));
    }
  }

  /**
   * Says who commits what {@code migration} changes: the runner, with the history row or the
   * batch's done mark.
   */
  private static String committedBy(MigrationDescriptor migration) {
    return migration.backfill()
        ? "the runner commits each batch of a backfill itself, together with the mark that the batch is done."
        : "the runner commits a transactional migration itself, together with its history row.";
  }

  private static String commitAdvice(MigrationDescriptor migration) {
    return migration.backfill() ? BATCH_ADVICE : COMMIT_ADVICE;
  }

  private void refuse(MigrationDescriptor migration, String what, String why, String advice) {
    CommitRefusedException refused =
        new CommitRefusedException(
            "Data migration " + migration + " " + why + " It was refused before it ran. " + advice,
            what);
    if (refusal == null) {
      // The first refusal is what the migration did; later ones are its clean-up (Jdbi restores
      // auto-commit).
      refusal = refused;
    }
    throw refused;
  }

  private static String first(String head) {
    int space = head.indexOf(' ');
    return space < 0 ? head : head.substring(0, space);
  }

  private static String second(String head) {
    int space = head.indexOf(' ');
    return space < 0 ? "" : head.substring(space + 1);
  }

  /**
   * Returns whether a statement starting with these keywords ends the open transaction on any
   * database: {@code COMMIT}, {@code END} and {@code ABORT} (PostgreSQL, SQLite), {@code ROLLBACK}
   * except {@code ROLLBACK TO [SAVEPOINT]}, which keeps the transaction, and PostgreSQL's {@code
   * PREPARE TRANSACTION} and H2's {@code PREPARE COMMIT}, which hand the transaction over to
   * two-phase commit: the session's own rollback no longer reaches it, and anyone may commit it.
   */
  static boolean endsTransaction(String first, String second) {
    return switch (first) {
      case "COMMIT", "END", "ABORT" -> true;
      case "ROLLBACK" -> !second.equals("TO");
      case "PREPARE" -> second.equals("TRANSACTION") || second.equals("COMMIT");
      default -> false;
    };
  }

  /**
   * Returns the first one or two keywords (upper case) of the first statement in {@code sql} that
   * commits implicitly on {@code dialect} or ends the transaction, or null. Statements are split on
   * {@code ;} outside quotes and comments; a statement's keywords are read after whitespace,
   * comments and opening parentheses. Never the whole text: it may hold values.
   */
  static String committingHead(Dialect dialect, String sql) {
    int length = sql.length();
    int i = 0;
    while (i < length) {
      i = skipNoise(sql, i);
      int firstEnd = wordEnd(sql, i);
      String first = sql.substring(i, firstEnd).toUpperCase(Locale.ROOT);
      int next = skipNoise(sql, firstEnd);
      String second = sql.substring(next, wordEnd(sql, next)).toUpperCase(Locale.ROOT);
      int end = statementEnd(dialect, sql, firstEnd);
      if (!first.isEmpty()
          && (endsTransaction(first, second)
              || dialect.commitsImplicitly(first, second, sql.substring(i, end)))) {
        return second.isEmpty() ? first : first + " " + second;
      }
      i = end + 1;
    }
    return null;
  }

  /** Returns the index after whitespace, comments and opening parentheses from {@code i}. */
  private static int skipNoise(String sql, int i) {
    int length = sql.length();
    while (i < length) {
      char c = sql.charAt(i);
      if (Character.isWhitespace(c) || c == '(') {
        i++;
      } else if (c == '-' && i + 1 < length && sql.charAt(i + 1) == '-') {
        int end = sql.indexOf('\n', i);
        i = end < 0 ? length : end + 1;
      } else if (c == '#') {
        // MySQL's line comment; elsewhere '#' starts no statement either.
        int end = sql.indexOf('\n', i);
        i = end < 0 ? length : end + 1;
      } else if (c == '/' && i + 1 < length && sql.charAt(i + 1) == '*') {
        int end = sql.indexOf("*/", i + 2);
        i = end < 0 ? length : end + 2;
      } else {
        return i;
      }
    }
    return i;
  }

  private static int wordEnd(String sql, int i) {
    while (i < sql.length() && (Character.isLetter(sql.charAt(i)) || sql.charAt(i) == '_')) {
      i++;
    }
    return i;
  }

  /**
   * Returns the index of the {@code ;} that ends the statement going on at {@code i}, or the
   * length. Quotes are read as {@code dialect} reads them: a backslash escapes only where it does
   * (MySQL, MariaDB), and PostgreSQL's dollar quotes ({@code $$ ... $$}, {@code $tag$ ... $tag$},
   * which hold PL/pgSQL bodies) are skipped whole.
   */
  private static int statementEnd(Dialect dialect, String sql, int i) {
    int length = sql.length();
    while (i < length) {
      char c = sql.charAt(i);
      int tagEnd = c == '$' && dialect.hasDollarQuotes() ? dollarTagEnd(sql, i) : -1;
      if (c == ';') {
        return i;
      } else if (tagEnd > 0) {
        int close = sql.indexOf(sql.substring(i, tagEnd), tagEnd);
        i = close < 0 ? length : close + (tagEnd - i);
      } else if (c == '\'' || c == '"' || c == '`') {
        int end = i + 1;
        while (end < length && sql.charAt(end) != c) {
          end += sql.charAt(end) == '\\' && dialect.backslashEscapesInQuotes() ? 2 : 1;
        }
        i = end + 1;
      } else if ((c == '-' && i + 1 < length && sql.charAt(i + 1) == '-')
          || (c == '/' && i + 1 < length && sql.charAt(i + 1) == '*')) {
        i = skipNoise(sql, i);
      } else {
        i++;
      }
    }
    return length;
  }

  /**
   * Returns the index after the dollar-quote tag ({@code $$} or {@code $name$}) starting at {@code
   * i}, or -1 if none starts there ({@code $1} is a parameter).
   */
  private static int dollarTagEnd(String sql, int i) {
    int j = i + 1;
    if (j < sql.length() && (Character.isLetter(sql.charAt(j)) || sql.charAt(j) == '_')) {
      while (j < sql.length()
          && (Character.isLetterOrDigit(sql.charAt(j)) || sql.charAt(j) == '_')) {
        j++;
      }
    }
    return j < sql.length() && sql.charAt(j) == '$' ? j + 1 : -1;
  }

  /**
   * The connection's wrapper: checks the SQL of the statements it prepares, wraps the ones it
   * creates.
   */
  private static final class ConnectionHandler implements InvocationHandler {
    private final Connection connection;
    private final CommitGuard guard;

    ConnectionHandler(Connection connection, CommitGuard guard) {
      this.connection = connection;
      this.guard = guard;
    }

    @Override
    public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
      String name = method.getName();
      if (name.equals("equals") && args != null && args.length == 1) {
        return proxy == args[0];
      } else if (name.equals("hashCode") && args == null) {
        return System.identityHashCode(proxy);
      }
      if (guard.armed != null) {
        if (args != null
            && args.length > 0
            && args[0] instanceof String sql
            && (name.equals("prepareStatement") || name.equals("prepareCall"))) {
          guard.check(sql);
        } else if ((name.equals("commit") || name.equals("rollback")) && args == null) {
          guard.checkCall(name + "()");
        } else if (name.equals("setAutoCommit") && Boolean.TRUE.equals(args[0])) {
          guard.checkCall("setAutoCommit(true)");
        }
      }
      if (name.equals("unwrap")
          && args != null
          && args[0] instanceof Class<?> type
          && type.isInstance(proxy)) {
        // unwrap(Connection.class) answers the driver's connection, whose commit() is unguarded.
        return proxy;
      }
      Object result = call(connection, method, args);
      if (result instanceof DatabaseMetaData metaData) {
        // Its getConnection() would answer the driver's connection too.
        return Proxy.newProxyInstance(
            CommitGuard.class.getClassLoader(),
            new Class<?>[] {DatabaseMetaData.class},
            new MetaDataHandler(metaData, (Connection) proxy));
      }
      StatementLog log = guard.log;
      boolean creates =
          name.equals("createStatement")
              || name.equals("prepareStatement")
              || name.equals("prepareCall");
      if (log != null && creates && result instanceof Statement statement) {
        result = log.wrap(statement, name.equals("createStatement") ? null : (String) args[0]);
      }
      if (creates && guard.armed != null && result instanceof Statement statement) {
        return Proxy.newProxyInstance(
            CommitGuard.class.getClassLoader(),
            new Class<?>[] {statementType(statement)},
            new StatementHandler(statement, guard, (Connection) proxy));
      }
      return result;
    }
  }

  /** Returns the most specific statement interface {@code statement} implements. */
  static Class<?> statementType(Statement statement) {
    return statement instanceof CallableStatement
        ? CallableStatement.class
        : statement instanceof PreparedStatement ? PreparedStatement.class : Statement.class;
  }

  /** Metadata whose {@code getConnection()} answers the guarded connection. */
  private static final class MetaDataHandler implements InvocationHandler {
    private final DatabaseMetaData metaData;
    private final Connection guarded;

    MetaDataHandler(DatabaseMetaData metaData, Connection guarded) {
      this.metaData = metaData;
      this.guarded = guarded;
    }

    @Override
    public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
      String name = method.getName();
      if (name.equals("getConnection") && args == null) {
        return guarded;
      } else if (name.equals("equals") && args != null && args.length == 1) {
        return proxy == args[0];
      } else if (name.equals("hashCode") && args == null) {
        return System.identityHashCode(proxy);
      }
      return call(metaData, method, args);
    }
  }

  /**
   * The wrapper of a statement created while armed: checks the SQL handed to {@code execute*} and
   * {@code addBatch}, and answers the guarded connection to {@code getConnection()} (the driver's
   * own would take commits unguarded).
   */
  private static final class StatementHandler implements InvocationHandler {
    private final Statement statement;
    private final CommitGuard guard;
    private final Connection guarded;

    StatementHandler(Statement statement, CommitGuard guard, Connection guarded) {
      this.statement = statement;
      this.guard = guard;
      this.guarded = guarded;
    }

    @Override
    public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
      String name = method.getName();
      if (name.equals("getConnection") && args == null) {
        return guarded;
      } else if (name.equals("equals") && args != null && args.length == 1) {
        return proxy == args[0];
      } else if (name.equals("hashCode") && args == null) {
        return System.identityHashCode(proxy);
      } else if (name.equals("unwrap")
          && args != null
          && args[0] instanceof Class<?> type
          && type.isInstance(proxy)) {
        return proxy;
      }
      if (args != null
          && args.length > 0
          && args[0] instanceof String sql
          && (name.startsWith("execute") || name.equals("addBatch"))) {
        guard.check(sql);
      }
      return call(statement, method, args);
    }
  }

  private static Object call(Object target, Method method, Object[] args) throws Throwable {
    try {
      return method.invoke(target, args);
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
  }
}
