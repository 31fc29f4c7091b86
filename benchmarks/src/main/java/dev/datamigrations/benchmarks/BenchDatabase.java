package dev.datamigrations.benchmarks;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Comparator;
import java.util.Properties;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.h2.jdbcx.JdbcDataSource;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * A database kind the benchmarks run on; {@link #create} gives a fresh, empty database holding only
 * the {@code bench_rows} table: an H2 file database of its own, or a PostgreSQL schema of its own.
 */
abstract class BenchDatabase {
  static final String BENCH_ROWS_DDL =
      "CREATE TABLE bench_rows (id INT NOT NULL PRIMARY KEY, note VARCHAR(100))";

  abstract String label();

  /** Returns the server's version, for the report. */
  abstract String version();

  /** Creates a fresh database named after {@code name}, with {@code bench_rows}. */
  abstract Instance create(String name);

  /**
   * Returns a plain (unpooled) data source for {@code url}: what every variant connects through.
   */
  static DataSource dataSource(String url, String user, String password) {
    if (url.startsWith("jdbc:h2:")) {
      JdbcDataSource h2 = new JdbcDataSource();
      h2.setURL(url);
      h2.setUser(user);
      h2.setPassword(password);
      return h2;
    }
    PGSimpleDataSource pg = new PGSimpleDataSource();
    pg.setURL(url);
    pg.setUser(user);
    pg.setPassword(password);
    return pg;
  }

  /** One fresh database. */
  abstract static class Instance implements AutoCloseable {
    final String url;
    final String user;
    final String password;
    final DataSource dataSource;

    Instance(String url, String user, String password) {
      this.url = url;
      this.user = user;
      this.password = password;
      this.dataSource = dataSource(url, user, password);
    }

    /** Returns {@code SELECT COUNT(*) FROM bench_rows}. */
    int rows() {
      try (Connection connection = dataSource.getConnection();
          Statement statement = connection.createStatement();
          ResultSet result = statement.executeQuery("SELECT COUNT(*) FROM bench_rows")) {
        result.next();
        return result.getInt(1);
      } catch (SQLException e) {
        throw new IllegalStateException(e);
      }
    }

    /**
     * Lets another process open the database: H2 keeps an embedded file database open (and locked)
     * only while a connection of this process is; nothing to do for PostgreSQL.
     */
    void release() {}

    /** Deletes the database. */
    @Override
    public abstract void close();
  }

  /** H2 file databases in a temporary directory. */
  static final class H2 extends BenchDatabase {
    private final Path dir;

    H2(Path dir) {
      this.dir = dir;
    }

    @Override
    String label() {
      return "H2";
    }

    @Override
    String version() {
      return org.h2.engine.Constants.FULL_VERSION;
    }

    @Override
    Instance create(String name) {
      Path base = dir.resolve(name).toAbsolutePath();
      return new H2Instance(base);
    }

    private static final class H2Instance extends Instance {
      private final Path base;
      private Connection keeper;

      H2Instance(Path base) {
        super("jdbc:h2:file:" + base, "sa", "");
        this.base = base;
        try {
          // Kept open so that the timed runs do not pay for opening the file, except in the child
          // JVMs.
          keeper = dataSource.getConnection();
          try (Statement statement = keeper.createStatement()) {
            statement.execute(BENCH_ROWS_DDL);
          }
        } catch (SQLException e) {
          throw new IllegalStateException(e);
        }
      }

      @Override
      void release() {
        if (keeper != null) {
          try {
            keeper.close();
          } catch (SQLException e) {
            throw new IllegalStateException(e);
          }
          keeper = null;
        }
      }

      @Override
      public void close() {
        release();
        try (Stream<Path> files = Files.list(base.getParent())) {
          String prefix = base.getFileName().toString() + ".";
          for (Path file :
              files.filter(f -> f.getFileName().toString().startsWith(prefix)).toList()) {
            Files.deleteIfExists(file);
          }
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }
    }
  }

  /** Schemas of a PostgreSQL database, each dropped after use. */
  static final class Postgres extends BenchDatabase {
    private final String url;
    private final String user;
    private final String password;

    Postgres(String url, String user, String password) {
      this.url = url;
      this.user = user;
      this.password = password;
    }

    /** Returns null if reachable, else why not. */
    String unreachable() {
      DriverManager.setLoginTimeout(3);
      try (Connection connection = admin()) {
        return null;
      } catch (SQLException e) {
        return e.getMessage();
      }
    }

    @Override
    String label() {
      return "PG";
    }

    @Override
    String version() {
      try (Connection connection = admin();
          Statement statement = connection.createStatement();
          ResultSet result = statement.executeQuery("SHOW server_version")) {
        result.next();
        return "PostgreSQL " + result.getString(1);
      } catch (SQLException e) {
        return "PostgreSQL ?";
      }
    }

    @Override
    Instance create(String name) {
      String schema = "dmbench_" + name.toLowerCase().replaceAll("[^a-z0-9_]", "_");
      execute(
          "DROP SCHEMA IF EXISTS " + schema + " CASCADE",
          "CREATE SCHEMA " + schema,
          BENCH_ROWS_DDL.replace("bench_rows", schema + ".bench_rows"));
      String schemaUrl = url + (url.contains("?") ? "&" : "?") + "currentSchema=" + schema;
      return new Instance(schemaUrl, user, password) {
        @Override
        public void close() {
          execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
        }
      };
    }

    private void execute(String... sql) {
      try (Connection connection = admin();
          Statement statement = connection.createStatement()) {
        for (String s : sql) {
          statement.execute(s);
        }
      } catch (SQLException e) {
        throw new IllegalStateException(e);
      }
    }

    private Connection admin() throws SQLException {
      Properties properties = new Properties();
      properties.setProperty("user", user);
      properties.setProperty("password", password);
      return new org.postgresql.Driver().connect(url, properties);
    }
  }

  /** Deletes a directory tree, best effort. */
  static void deleteTree(Path dir) {
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException ignored) {
      // A temporary directory; the OS cleans up what is left.
    }
  }
}
