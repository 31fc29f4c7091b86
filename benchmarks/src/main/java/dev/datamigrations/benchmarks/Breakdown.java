package dev.datamigrations.benchmarks;

import dev.datamigrations.runtime.MigrationCatalog;
import dev.datamigrations.runtime.MigrationRunner;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import javax.sql.DataSource;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * Where ours's apply-all time goes, by difference of variants run back to back on fresh databases:
 *
 * <ul>
 *   <li>{@code raw}: the limit, as in scenario 1;
 *   <li>{@code raw+jdbi}: the same loop, but the row inserted with {@code handle.execute(...)} as
 *       our generated migrations do, so {@code raw+jdbi - raw} is Jdbi's per-statement cost;
 *   <li>{@code ours warm}: ours with every migration class already loaded, so {@code ours warm -
 *       raw+jdbi} is the runner's own bookkeeping (lock, history read, per-migration history insert
 *       and commit);
 *   <li>{@code ours cold}: ours as in scenario 1, so {@code ours cold - ours warm} is loading the N
 *       classes;
 *   <li>{@code load only}: loading and instantiating the N classes from a fresh class loader, no
 *       database.
 * </ul>
 */
final class Breakdown {
  static final String[] PARTS = {"raw", "raw+jdbi", "ours warm", "ours cold", "load only"};

  private Breakdown() {}

  /**
   * Runs part {@code part} once on a fresh {@code instance} and returns its time in nanoseconds.
   */
  static long run(int part, DataSource dataSource, Path oursClasses, int n) throws Exception {
    return switch (part) {
      case 0 -> time(() -> Variant.RAW.apply(dataSource, null, n));
      case 1 -> time(() -> rawWithJdbi(dataSource, n));
      case 2 -> oursWarm(dataSource, oursClasses, n);
      case 3 -> time(() -> Variant.OURS.apply(dataSource, oursClasses, n));
      case 4 -> time(() -> loadAll(oursClasses));
      default -> throw new IllegalArgumentException("part " + part);
    };
  }

  private interface Work {
    int run() throws Exception;
  }

  private static long time(Work work) throws Exception {
    long start = System.nanoTime();
    work.run();
    return System.nanoTime() - start;
  }

  private static int rawWithJdbi(DataSource dataSource, int n) throws Exception {
    try (Handle handle = Jdbi.create(dataSource).open()) {
      Connection connection = handle.getConnection();
      try (Statement statement = connection.createStatement()) {
        statement.execute(Variant.RAW_HISTORY_DDL);
      }
      connection.setAutoCommit(false);
      try (PreparedStatement history = connection.prepareStatement(Variant.RAW_HISTORY_INSERT)) {
        for (int i = 1; i <= n; i++) {
          long start = System.nanoTime();
          handle.execute(Sources.INSERT, i, "row " + i);
          Variant.insertHistoryRow(history, i, start);
          connection.commit();
        }
      }
      connection.setAutoCommit(true);
    }
    return n;
  }

  private static long oursWarm(DataSource dataSource, Path classes, int n) throws Exception {
    try (URLClassLoader loader = Sources.loader(classes)) {
      MigrationCatalog catalog =
          (MigrationCatalog) loader.loadClass(Sources.OURS_REGISTRY).getConstructor().newInstance();
      for (int i = 0; i < n; i++) {
        catalog.instantiate(i);
      }
      long start = System.nanoTime();
      MigrationRunner.configure(Jdbi.create(dataSource), catalog).build().migrate();
      return System.nanoTime() - start;
    }
  }

  private static int loadAll(Path classes) throws Exception {
    try (URLClassLoader loader = Sources.loader(classes)) {
      MigrationCatalog catalog =
          (MigrationCatalog) loader.loadClass(Sources.OURS_REGISTRY).getConstructor().newInstance();
      int n = catalog.descriptors().size();
      for (int i = 0; i < n; i++) {
        catalog.instantiate(i);
      }
      return n;
    }
  }
}
