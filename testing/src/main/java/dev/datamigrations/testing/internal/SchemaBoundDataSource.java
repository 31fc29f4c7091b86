package dev.datamigrations.testing.internal;

import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * A data source whose every connection starts in one test's schema (database on MySQL and MariaDB),
 * so that the migrations, the runner's tables and the user's seed and checks all see that schema
 * and nothing else. A pool that resets the schema when a connection comes back (HikariCP does)
 * keeps its connections as they were.
 */
public final class SchemaBoundDataSource implements DataSource {
  private final DataSource delegate;
  private final IsolationDialect dialect;
  private final String schema;

  public SchemaBoundDataSource(DataSource delegate, IsolationDialect dialect, String schema) {
    this.delegate = delegate;
    this.dialect = dialect;
    this.schema = schema;
  }

  @Override
  public Connection getConnection() throws SQLException {
    return bound(delegate.getConnection());
  }

  @Override
  public Connection getConnection(String username, String password) throws SQLException {
    return bound(delegate.getConnection(username, password));
  }

  private Connection bound(Connection connection) throws SQLException {
    try {
      dialect.use(connection, schema);
      return connection;
    } catch (SQLException | RuntimeException e) {
      connection.close();
      throw e;
    }
  }

  @Override
  public PrintWriter getLogWriter() throws SQLException {
    return delegate.getLogWriter();
  }

  @Override
  public void setLogWriter(PrintWriter out) throws SQLException {
    delegate.setLogWriter(out);
  }

  @Override
  public void setLoginTimeout(int seconds) throws SQLException {
    delegate.setLoginTimeout(seconds);
  }

  @Override
  public int getLoginTimeout() throws SQLException {
    return delegate.getLoginTimeout();
  }

  @Override
  public Logger getParentLogger() throws SQLFeatureNotSupportedException {
    return delegate.getParentLogger();
  }

  @Override
  public <T> T unwrap(Class<T> type) throws SQLException {
    return type.isInstance(this) ? type.cast(this) : delegate.unwrap(type);
  }

  @Override
  public boolean isWrapperFor(Class<?> type) throws SQLException {
    return type.isInstance(this) || delegate.isWrapperFor(type);
  }
}
