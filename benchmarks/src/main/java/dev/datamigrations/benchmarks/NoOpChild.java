package dev.datamigrations.benchmarks;

import dev.datamigrations.runtime.MigrateResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * The whole-process no-op start: a fresh JVM that connects, decides there is nothing to do, prints
 * its peak RSS ({@code VmHWM} of {@code /proc/self/status}) and exits. The parent times it from
 * spawn to exit.
 *
 * <p>Arguments: {@code ours|flyway|raw|jdbi <jdbc url> <user> <password>}. The class path holds the
 * harness jar plus, for ours and Flyway, the directory of compiled migrations, as an application's
 * would.
 */
public final class NoOpChild {
  private NoOpChild() {}

  public static void main(String[] args) throws Exception {
    DataSource dataSource =
        BenchDatabase.dataSource(args[1], args[2], args.length > 3 ? args[3] : "");
    switch (args[0]) {
      case "ours" -> {
        // Exactly MigrationRegistry.run(dataSource); reflective only because the harness is
        // compiled before it.
        MigrateResult result =
            (MigrateResult)
                Class.forName(Sources.OURS_REGISTRY)
                    .getMethod("run", DataSource.class)
                    .invoke(null, dataSource);
        if (!result.executed().isEmpty()) {
          throw new IllegalStateException("ours ran " + result.executed().size());
        }
      }
      case "flyway" -> {
        int executed =
            Variant.flyway(NoOpChild.class.getClassLoader(), dataSource)
                .migrate()
                .migrationsExecuted;
        if (executed != 0) {
          throw new IllegalStateException("Flyway ran " + executed);
        }
      }
      case "raw" -> {
        try (Connection connection = dataSource.getConnection()) {
          rawSelect(connection);
        }
      }
      case "jdbi" -> {
        // The raw SELECT on a Jdbi handle's connection: the Jdbi start-up our runner pays as built
        // (Jdbi.create,
        // Jdbi.open; it reads the history with plain JDBC), so that ours minus this is the runner's
        // own cost.
        try (Handle handle = Jdbi.create(dataSource).open()) {
          rawSelect(handle.getConnection());
        }
      }
      default -> throw new IllegalArgumentException("Unknown variant " + args[0]);
    }
    System.out.println("VmHWM_kB " + peakRssKb());
  }

  private static void rawSelect(Connection connection) throws SQLException {
    try (Statement statement = connection.createStatement();
        ResultSet result = statement.executeQuery("SELECT version FROM raw_history")) {
      int rows = 0;
      while (result.next()) {
        result.getLong(1);
        rows++;
      }
      if (rows == 0) {
        throw new IllegalStateException("raw: empty history");
      }
    }
  }

  /** Returns the peak resident set size so far, in kB, or -1 where /proc is absent. */
  static long peakRssKb() throws IOException {
    Path status = Path.of("/proc/self/status");
    if (!Files.exists(status)) {
      return -1;
    }
    for (String line : Files.readAllLines(status)) {
      if (line.startsWith("VmHWM:")) {
        return Long.parseLong(line.replaceAll("[^0-9]", ""));
      }
    }
    return -1;
  }
}
