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
 * to its next result or closes (JDBC allows one read per result, so it is never read first).
 */
final class RecordingStatement implements InvocationHandler {
  private final Statement statement;
  private final String prepared;
  private final StatementLog log;
  private final List<String> batch = new ArrayList<>();

  /** The SQL of an {@code execute} whose update count nobody has read yet, or null. */
  private String awaiting;

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
        return count;
      }
      case "executeQuery" -> {
        settle();
        Object rows = call(method, args);
        log.query(sql);
        return rows;
      }
      case "execute" -> {
        settle();
        Object hasRows = call(method, args);
        if (Boolean.TRUE.equals(hasRows)) {
          log.query(sql);
        } else {
          awaiting = sql;
          log.awaiting(this, true);
        }
        return hasRows;
      }
      case "getUpdateCount", "getLargeUpdateCount" -> {
        Object count = call(method, args);
        if (awaiting != null) {
          log.update(awaiting, 1, ((Number) count).longValue());
          clearAwaiting();
        }
        return count;
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
      case "getMoreResults", "close" -> {
        settle();
        return call(method, args);
      }
      default -> {
        return call(method, args);
      }
    }
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

  /** Reads the update count the caller left unread, if any. */
  void settle() {
    if (awaiting == null) {
      return;
    }
    long count;
    try {
      count = statement.getUpdateCount();
    } catch (SQLException | RuntimeException e) {
      count = -1; // closed, or the driver will not tell: recorded as unknown
    }
    log.update(awaiting, 1, count);
    clearAwaiting();
  }

  private void clearAwaiting() {
    awaiting = null;
    log.awaiting(this, false);
  }

  private Object call(Method method, Object[] args) throws Throwable {
    try {
      return method.invoke(statement, args);
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
  }
}
