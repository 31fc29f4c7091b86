package dev.datamigrations.runtime;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * A minimal connection pool, as the tests need one: {@code close()} on a connection it handed out
 * returns the physical connection to the pool unchanged (like HikariCP without its reset of changed
 * settings), and the next {@code getConnection()} hands it out again. So a setting a caller changes
 * and does not restore leaks to the next borrower, which is what the tests look for.
 */
final class ReusingDataSource extends PlainDataSource implements AutoCloseable {
  private final TestDatabase database;
  private final Deque<Connection> idle = new ArrayDeque<>();
  private final List<Connection> all = new ArrayList<>();

  ReusingDataSource(TestDatabase database) {
    this.database = database;
  }

  /** Returns every physical connection opened so far. */
  synchronized List<Connection> physicalConnections() {
    return List.copyOf(all);
  }

  @Override
  public synchronized Connection getConnection() throws SQLException {
    Connection physical = idle.poll();
    if (physical == null) {
      physical =
          database.user() == null
              ? DriverManager.getConnection(database.url())
              : DriverManager.getConnection(database.url(), database.user(), database.password());
      all.add(physical);
    }
    Connection borrowed = physical;
    boolean[] closed = {false};
    return (Connection)
        Proxy.newProxyInstance(
            Connection.class.getClassLoader(),
            new Class<?>[] {Connection.class},
            (proxy, method, args) -> {
              switch (method.getName()) {
                case "close":
                  synchronized (this) {
                    if (!closed[0]) {
                      closed[0] = true;
                      idle.push(borrowed);
                    }
                  }
                  return null;
                case "isClosed":
                  return closed[0];
                default:
                  try {
                    return method.invoke(borrowed, args);
                  } catch (InvocationTargetException e) {
                    throw e.getCause();
                  }
              }
            });
  }

  @Override
  public Connection getConnection(String user, String password) throws SQLException {
    throw new SQLFeatureNotSupportedException();
  }

  @Override
  public synchronized void close() throws SQLException {
    for (Connection connection : all) {
      connection.close();
    }
  }
}
