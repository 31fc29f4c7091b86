package dev.datamigrations.runtime;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.CallableStatement;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;

/**
 * A {@link DataSource} that numbers every step the runner and the migrations take on its
 * connections, whichever connection takes it: each statement executed (lock, history read and
 * insert, the migrations' own SQL, batch claims) and each {@code commit}, {@code rollback} and
 * {@code setAutoCommit}. {@link Hook#before} runs before the step reaches the database, so a hook
 * that blocks at step n leaves steps 1..n-1 done and step n not sent: a kill there lands between
 * two steps.
 */
final class CountingDataSource extends PlainDataSource {
  /** What the fault tests do before a step. */
  interface Hook {
    /**
     * Called before step {@code number}.
     *
     * @param connection the step's connection (the driver's own, not the proxy)
     * @param connectionId the server's id for that connection (backend pid, connection id), or -1
     * @param step what the step is: the SQL, or the connection method
     */
    void before(long number, Connection connection, long connectionId, String step);
  }

  private static final Set<String> EXECUTES =
      Set.of(
          "execute",
          "executeQuery",
          "executeUpdate",
          "executeLargeUpdate",
          "executeBatch",
          "executeLargeBatch");

  private final TestDatabase db;
  private final String connectionIdSql;
  private final Hook hook;
  private final AtomicLong steps = new AtomicLong();

  /**
   * @param connectionIdSql a query answering the server's id for a connection, run once per
   *     connection before counting starts, or null
   */
  CountingDataSource(TestDatabase db, String connectionIdSql, Hook hook) {
    this.db = db;
    this.connectionIdSql = connectionIdSql;
    this.hook = hook;
  }

  /** Returns how many steps were taken so far. */
  long steps() {
    return steps.get();
  }

  @Override
  public Connection getConnection() throws SQLException {
    Connection real = db.dataSource().getConnection();
    long id = -1;
    if (connectionIdSql != null) {
      try (Statement statement = real.createStatement();
          var rows = statement.executeQuery(connectionIdSql)) {
        rows.next();
        id = rows.getLong(1);
      }
    }
    long connectionId = id;
    return (Connection)
        Proxy.newProxyInstance(
            Connection.class.getClassLoader(),
            new Class<?>[] {Connection.class},
            new Forwarding(real) {
              @Override
              Object call(Method method, Object[] args) throws Throwable {
                String name = method.getName();
                switch (name) {
                  case "commit", "rollback" -> {
                    if (args == null) {
                      step(real, connectionId, name);
                    }
                  }
                  case "setAutoCommit" ->
                      step(real, connectionId, "setAutoCommit(" + args[0] + ")");
                  default -> {}
                }
                Object result = super.call(method, args);
                if (result instanceof Statement statement) {
                  String sql =
                      args != null && args.length > 0 && args[0] instanceof String s ? s : null;
                  return statement(statement, real, connectionId, sql);
                }
                return result;
              }
            });
  }

  private Object statement(
      Statement statement, Connection real, long connectionId, String preparedSql) {
    Class<?> type =
        statement instanceof CallableStatement
            ? CallableStatement.class
            : statement instanceof PreparedStatement ? PreparedStatement.class : Statement.class;
    return Proxy.newProxyInstance(
        Statement.class.getClassLoader(),
        new Class<?>[] {type},
        new Forwarding(statement) {
          @Override
          Object call(Method method, Object[] args) throws Throwable {
            if (EXECUTES.contains(method.getName())) {
              String sql =
                  args != null && args.length > 0 && args[0] instanceof String s ? s : preparedSql;
              step(real, connectionId, sql == null ? method.getName() : sql);
            }
            return super.call(method, args);
          }
        });
  }

  private void step(Connection real, long connectionId, String what) {
    hook.before(steps.incrementAndGet(), real, connectionId, what);
  }

  /** Forwards every call to the real object, unwrapping reflection's exceptions. */
  private abstract static class Forwarding implements InvocationHandler {
    private final Object target;

    Forwarding(Object target) {
      this.target = target;
    }

    @Override
    public final Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
      if (method.getName().equals("equals") && args != null && args.length == 1) {
        return proxy == args[0];
      }
      if (method.getName().equals("hashCode") && args == null) {
        return System.identityHashCode(proxy);
      }
      return call(method, args);
    }

    Object call(Method method, Object[] args) throws Throwable {
      try {
        return method.invoke(target, args);
      } catch (InvocationTargetException e) {
        throw e.getCause();
      }
    }
  }
}
