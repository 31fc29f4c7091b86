package dev.datamigrations.runtime.internal;

import dev.datamigrations.runtime.DryRunEntry;
import dev.datamigrations.runtime.DryRunStatement;
import dev.datamigrations.runtime.Redaction;
import java.lang.reflect.Proxy;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;

/**
 * The statements one migration issues during a dry run, with their JDBC update counts: filled by
 * the statements {@link CommitGuard} hands out while it records ({@link RecordingStatement}).
 * Identical statements issued one after the other are merged into one line; at most {@link
 * DryRunEntry#MAX_STATEMENTS} lines are kept, the totals count them all. Only SQL texts are kept,
 * never bound parameters, and each text is masked with {@link Redaction} and cut.
 */
final class StatementLog {
  /** How much of a text is looked at for credentials before it is cut to its displayed length. */
  private static final int REDACTED_LENGTH = 4 * DryRunStatement.MAX_SQL_LENGTH;

  private final List<Line> lines = new ArrayList<>();
  private final Set<RecordingStatement> awaitingCounts = new LinkedHashSet<>();
  private long statementCount;
  private long rowsChanged;

  /** A statement line being filled. */
  private static final class Line {
    final String sql;
    final boolean query;
    long executions;
    long rows;
    boolean rowsKnown = true;

    Line(String sql, boolean query) {
      this.sql = sql;
      this.query = query;
    }
  }

  /** Returns {@code statement} wrapped so that it reports here; {@code sql} if prepared. */
  Statement wrap(Statement statement, String sql) {
    return (Statement)
        Proxy.newProxyInstance(
            StatementLog.class.getClassLoader(),
            new Class<?>[] {CommitGuard.statementType(statement)},
            new RecordingStatement(statement, sql, this));
  }

  /** Records a query: a statement that changes no row. */
  void query(String sql) {
    add(sql, 1, -1, true);
  }

  /**
   * Records an update of {@code rows} rows (negative: the driver did not tell), run {@code
   * executions} times.
   */
  void update(String sql, long executions, long rows) {
    add(sql, executions, rows, false);
  }

  /** Notes that {@code statement} has an update count nobody has read yet. */
  void awaiting(RecordingStatement statement, boolean awaiting) {
    if (awaiting) {
      awaitingCounts.add(statement);
    } else {
      awaitingCounts.remove(statement);
    }
  }

  /** Reads the counts the migration left unread (statements it did not close), and ends. */
  void finish() {
    for (RecordingStatement statement : List.copyOf(awaitingCounts)) {
      statement.settle();
    }
    awaitingCounts.clear();
  }

  private void add(String sql, long executions, long rows, boolean query) {
    String text = display(sql);
    statementCount += executions;
    if (rows > 0) {
      rowsChanged += rows;
    }
    Line last = lines.isEmpty() ? null : lines.get(lines.size() - 1);
    if (last == null || !last.sql.equals(text) || last.query != query) {
      if (lines.size() == DryRunEntry.MAX_STATEMENTS) {
        return; // counted above; no further line is kept
      }
      last = new Line(text, query);
      lines.add(last);
    }
    last.executions += executions;
    if (!query) {
      if (rows < 0) {
        last.rowsKnown = false;
      } else {
        last.rows += rows;
      }
    }
  }

  List<DryRunStatement> statements() {
    return lines.stream()
        .map(
            line ->
                new DryRunStatement(
                    line.sql,
                    line.executions,
                    line.query || !line.rowsKnown
                        ? OptionalLong.empty()
                        : OptionalLong.of(line.rows)))
        .toList();
  }

  long statementCount() {
    return statementCount;
  }

  long rowsChanged() {
    return rowsChanged;
  }

  /** Returns {@code sql} as shown: whitespace collapsed, credentials masked, cut. */
  static String display(String sql) {
    if (sql == null) {
      return "(no SQL text)";
    }
    String text = sql.length() > REDACTED_LENGTH ? cut(sql, REDACTED_LENGTH) : sql;
    text = Redaction.redact(text.strip().replaceAll("\\s+", " "));
    return text.length() > DryRunStatement.MAX_SQL_LENGTH
        ? cut(text, DryRunStatement.MAX_SQL_LENGTH - 3) + "..."
        : text;
  }

  /**
   * Returns the first {@code length} chars of {@code text}, one fewer where the last would be the
   * first half of a surrogate pair: half a character is no text (JSON and terminals print it as
   * '?').
   */
  private static String cut(String text, int length) {
    return text.substring(
        0, Character.isHighSurrogate(text.charAt(length - 1)) ? length - 1 : length);
  }
}
