package dev.datamigrations.benchmarks;

import dev.datamigrations.runtime.MigrateResult;
import dev.datamigrations.runtime.MigrationCatalog;
import dev.datamigrations.runtime.MigrationRunner;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.util.HashSet;
import java.util.Set;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.jdbi.v3.core.Jdbi;

/** The three contenders, each able to apply N migrations and to decide that nothing is pending. */
enum Variant {
  /** Plain JDBC: the physical limit. */
  RAW("raw") {
    @Override
    int apply(DataSource dataSource, Path classes, int n) throws Exception {
      try (Connection connection = dataSource.getConnection()) {
        try (Statement statement = connection.createStatement()) {
          statement.execute(RAW_HISTORY_DDL);
        }
        connection.setAutoCommit(false);
        try (PreparedStatement insert = connection.prepareStatement(Sources.INSERT);
            PreparedStatement history = connection.prepareStatement(RAW_HISTORY_INSERT)) {
          for (int i = 1; i <= n; i++) {
            long start = System.nanoTime();
            insert.setInt(1, i);
            insert.setString(2, "row " + i);
            insert.executeUpdate();
            insertHistoryRow(history, i, start);
            connection.commit();
          }
        }
        connection.setAutoCommit(true);
      }
      return n;
    }

    @Override
    int noOp(DataSource dataSource, Session session) throws Exception {
      Set<Long> applied = new HashSet<>();
      try (Connection connection = dataSource.getConnection();
          Statement statement = connection.createStatement();
          ResultSet result = statement.executeQuery("SELECT version FROM raw_history")) {
        while (result.next()) {
          applied.add(result.getLong(1));
        }
      }
      return applied.size();
    }
  },

  /**
   * datamigrations: the generated registry, loaded from the compiled classes, run by
   * MigrationRunner.
   */
  OURS("ours") {
    @Override
    int apply(DataSource dataSource, Path classes, int n) throws Exception {
      try (URLClassLoader loader = Sources.loader(classes)) {
        MigrationCatalog catalog =
            (MigrationCatalog)
                loader.loadClass(Sources.OURS_REGISTRY).getConstructor().newInstance();
        MigrateResult result =
            MigrationRunner.configure(Jdbi.create(dataSource), catalog).build().migrate();
        return result.executed().size();
      }
    }

    @Override
    int noOp(DataSource dataSource, Session session) {
      MigrateResult result =
          MigrationRunner.configure(session.jdbi, session.catalog).build().migrate();
      if (!result.executed().isEmpty()) {
        throw new IllegalStateException(
            "ours: expected nothing to do, ran " + result.executed().size());
      }
      return result.alreadyApplied();
    }
  },

  /** Flyway's Java migrations, found by its class-path scanning. */
  FLYWAY("Flyway") {
    @Override
    int apply(DataSource dataSource, Path classes, int n) throws Exception {
      try (URLClassLoader loader = Sources.loader(classes)) {
        return flyway(loader, dataSource).migrate().migrationsExecuted;
      }
    }

    @Override
    int noOp(DataSource dataSource, Session session) {
      int executed = flyway(session.loader, dataSource).migrate().migrationsExecuted;
      if (executed != 0) {
        throw new IllegalStateException("Flyway: expected nothing to do, ran " + executed);
      }
      return 0;
    }
  };

  static final String RAW_HISTORY_DDL =
      "CREATE TABLE IF NOT EXISTS raw_history (version BIGINT NOT NULL PRIMARY KEY,"
          + " description VARCHAR(1000) NOT NULL, class_name VARCHAR(1000) NOT NULL,"
          + " applied_at TIMESTAMP NOT NULL, execution_ms BIGINT NOT NULL, applied_by VARCHAR(1000) NOT NULL,"
          + " reason VARCHAR(4000))";
  static final String RAW_HISTORY_INSERT =
      "INSERT INTO raw_history (version, description, class_name, applied_at, execution_ms, applied_by, reason)"
          + " VALUES (?, ?, ?, ?, ?, ?, ?)";

  final String label;

  Variant(String label) {
    this.label = label;
  }

  /**
   * Applies all migrations to a fresh database; for ours and Flyway from a fresh class loader, so
   * that the migration classes load cold as in a new process. Returns how many ran.
   */
  abstract int apply(DataSource dataSource, Path classes, int n) throws Exception;

  /** Decides, on an up-to-date database, that there is nothing to do. */
  abstract int noOp(DataSource dataSource, Session session) throws Exception;

  /**
   * Returns Flyway as a user would set it up for these migrations. {@code bench_rows} exists before
   * the first migration (as a schema migration would have created it), so Flyway needs a baseline
   * below version 1.
   */
  static Flyway flyway(ClassLoader loader, DataSource dataSource) {
    return Flyway.configure(loader)
        .dataSource(dataSource)
        .locations(Sources.FLYWAY_LOCATION)
        .baselineOnMigrate(true)
        .baselineVersion("0")
        .load();
  }

  /**
   * What an application has at hand before its start-up check: a Jdbi, the registry, a class
   * loader.
   */
  static final class Session implements AutoCloseable {
    final URLClassLoader loader;
    final Jdbi jdbi;
    final MigrationCatalog catalog;

    Session(Variant variant, DataSource dataSource, Path classes) throws Exception {
      this.loader = classes == null ? null : Sources.loader(classes);
      this.jdbi = Jdbi.create(dataSource);
      this.catalog =
          variant == OURS
              ? (MigrationCatalog)
                  loader.loadClass(Sources.OURS_REGISTRY).getConstructor().newInstance()
              : null;
    }

    @Override
    public void close() throws Exception {
      if (loader != null) {
        loader.close();
      }
    }
  }

  /**
   * Writes raw's history row for migration {@code i}: the same seven columns as our history table.
   */
  static void insertHistoryRow(PreparedStatement history, int i, long startNanos)
      throws SQLException {
    history.setLong(1, i);
    history.setString(2, "Insert row " + i);
    history.setString(3, "bench.raw.InsertRow" + i);
    history.setTimestamp(4, new Timestamp(System.currentTimeMillis()));
    history.setLong(5, (System.nanoTime() - startNanos) / 1_000_000);
    history.setString(6, "bench");
    history.setString(7, null);
    history.executeUpdate();
  }
}
