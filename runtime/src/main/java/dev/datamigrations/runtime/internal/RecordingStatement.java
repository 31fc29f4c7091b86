package dev.datamigrations.runtime.internal;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * A statement's wrapper during a dry run: reports each execution and its update count to a {@link
 * StatementLog}. The count of {@code execute} is the one the caller reads with {@code
 * getUpdateCount}; if the caller never reads it, it is read before the statement runs again, moves
 * to its next result or closes (JDBC allows one read per result, so it is never read first). A
 * string of several statements (PostgreSQL, MySQL's {@code allowMultiQueries}) has one result per
 * statement: the counts of those after the first are added to its line as the caller reads them
 * with {@code getMoreResults}, or else before the statement runs again or closes, or when the
 * migration ends (nobody can read them any more then).
 */
final class RecordingStatement implements InvocationHandler {
  /** How many further results of one execution are read at most (a driver may never say "end"). */
  private static final int MAX_FURTHER_RESULTS = 10_000;

  private final Statement statement;
  private final String prepared;
  private final StatementLog log;
  private final List<String> batch = new ArrayList<>();

  /** The SQL of an execution whose current update count nobody has read yet, or null. */
  private String awaiting;

  /** Whether {@link #awaiting} is the count of a further result, not of the execution itself. */
  private boolean further;

  /** The SQL of the last execution whose further results have not all been read yet, or null. */
  private String open;

  RecordingStatement(Statement statement, String prepared, StatementLog log) {
    this.statement = statement;
    this.prepared = prepared;
    this.log = log;
  }

  @Override
  public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
    String name = method.getName();
    if (name.equals("equals") && args != null && args.length == 1) {
      return proxy == args[0];
    } else if (name.equals("hashCode") && args == null) {
      return System.identityHashCode(proxy);
    }
    String sql =
        args != null && args.length > 0 && args[0] instanceof String text ? text : prepared;
    switch (name) {
      case "executeUpdate", "executeLargeUpdate" -> {
        settle();
        Object count = call(method, args);
        log.update(sql, 1, ((Number) count).longValue());
        opened(sql);
        return count;
      }
      case "executeQuery" -> {
        settle();
        Object rows = call(method, args);
        log.query(sql);
        opened(sql);
        return rows;
      }
      case "execute" -> {
        settle();
        Object hasRows = call(method, args);
        if (Boolean.TRUE.equals(hasRows)) {
          log.query(sql);
        } else {
          awaiting = sql;
          further = false;
        }
        opened(sql);
        return hasRows;
      }
      case "getUpdateCount", "getLargeUpdateCount" -> {
        Object count = call(method, args);
        if (awaiting != null) {
          record(((Number) count).longValue());
        }
        return count;
      }
      case "getMoreResults" -> {
        readAwaiting();
        Object hasRows = call(method, args);
        if (open != null && !Boolean.TRUE.equals(hasRows)) {
          awaiting = open;
          further = true;
        }
        return hasRows;
      }
      case "addBatch" -> {
        Object result = call(method, args);
        batch.add(sql);
        return result;
      }
      case "clearBatch" -> {
        Object result = call(method, args);
        batch.clear();
        return result;
      }
      case "executeBatch", "executeLargeBatch" -> {
        settle();
        Object counts = call(method, args);
        recordBatch(counts);
        return counts;
      }
      case "close" -> {
        settle();
        return call(method, args);
      }
      default -> {
        return call(method, args);
      }
    }
  }

  /** Notes an execution whose further results are still to be read. */
  private void opened(String sql) {
    open = sql;
    log.awaiting(this, true);
  }

  /** Records the current result's update count; -1 after a further result means the end. */
  private void record(long count) {
    if (!further) {
      log.update(awaiting, 1, count); // negative: recorded as unknown
    } else if (count >= 0) {
      log.update(awaiting, 0, count);
    } else {
      open = null;
    }
    awaiting = null;
    further = false;
  }

  /** Reads the current update count the caller left unread, if any. */
  private void readAwaiting() {
    if (awaiting == null) {
      return;
    }
    long count;
    try {
      count = statement.getUpdateCount();
    } catch (SQLException | RuntimeException e) {
      count = -1; // closed, or the driver will not tell: unknown, or no further result
    }
    record(count);
  }

  /**
   * Reads every count the caller left unread, the further results' included: called when nobody can
   * read them any more (before the statement runs again or closes, when the migration ends).
   */
  void settle() {
    readAwaiting();
    if (open != null) {
      try {
        for (int i = 0; i < MAX_FURTHER_RESULTS; i++) {
          if (statement.getMoreResults()) {
            continue;
          }
          long count = statement.getUpdateCount();
          if (count < 0) {
            break;
          }
          log.update(open, 0, count);
        }
      } catch (SQLException | RuntimeException e) {
        // closed, or no further result to give: nothing more to count
      }
      open = null;
    }
    log.awaiting(this, false);
  }

  /** Records a batch: its distinct texts, its size, and the sum of its counts. */
  private void recordBatch(Object counts) {
    long size;
    long rows = 0;
    boolean known = true;
    if (counts instanceof int[] ints) {
      size = ints.length;
      for (int count : ints) {
        known &= count >= 0;
        rows += Math.max(0, count);
      }
    } else {
      long[] longs = (long[]) counts;
      size = longs.length;
      for (long count : longs) {
        known &= count >= 0;
        rows += Math.max(0, count);
      }
    }
    if (size > 0) {
      log.update(String.join("; ", batch.stream().distinct().toList()), size, known ? rows : -1);
    }
    batch.clear();
  }

  private Object call(Method method, Object[] args) throws Throwable {
    try {
      return method.invoke(statement, args);
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
  }
}
