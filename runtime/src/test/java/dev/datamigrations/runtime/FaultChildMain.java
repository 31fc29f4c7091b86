package dev.datamigrations.runtime;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import javax.sql.DataSource;
import org.jdbi.v3.core.Jdbi;

/**
 * The child JVM of the kill -9 fault tests. Started ahead of its iteration, it loads the classes it
 * will need, says {@value #READY}, then reads one command from standard input, {@code <verb>
 * <target> <prefix> <killAt> <viaJdbi>}, and runs that verb through a {@link CountingDataSource}:
 * before step {@code killAt} it prints {@value #KILL_POINT}{@code <n> <step>} and blocks until the
 * parent kills it. A {@code killAt} of -1 runs to the end (the parent kills it after a random time
 * instead).
 *
 * <p>Arguments: database name, JDBC URL, user ("" for none), password, lock timeout in
 * milliseconds.
 */
public final class FaultChildMain {
  static final String READY = "FAULT-READY";
  static final String GO = "FAULT-GO";
  static final String KILL_POINT = "FAULT-KILL-POINT ";
  static final String FINISHED = "FAULT-FINISHED ";
  static final String FAILED = "FAULT-FAILED ";

  private FaultChildMain() {}

  public static void main(String[] args) throws Exception {
    PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
    TestDatabase db =
        new TestDatabase(args[0], args[1], args[2].isEmpty() ? null : args[2], args[3], "\"");
    Duration lockTimeout = Duration.ofMillis(Long.parseLong(args[4]));
    warmUp(db);
    out.println(READY);
    BufferedReader in =
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    String line = in.readLine();
    if (line == null || line.isBlank()) {
      System.exit(0); // the parent no longer needs this spare
    }
    String[] command = line.split(" ");
    FaultVerb verb = FaultVerb.valueOf(command[0]);
    long target = Long.parseLong(command[1]);
    FaultCatalog.Tables tables = new FaultCatalog.Tables(command[2]);
    long killAt = Long.parseLong(command[3]);
    boolean viaJdbi = Boolean.parseBoolean(command[4]);
    CountingDataSource counting =
        new CountingDataSource(
            db,
            null,
            (number, connection, id, step) -> {
              if (number == killAt) {
                out.println(KILL_POINT + number + " " + step.replace('\n', ' '));
                while (true) {
                  try {
                    Thread.sleep(60_000);
                  } catch (InterruptedException e) {
                    // Only the parent's kill ends this.
                  }
                }
              }
            });
    MigrationRunner runner = FaultHarness.runner(counting, viaJdbi, tables, lockTimeout);
    out.println(GO);
    try {
      verb.act(runner, target);
    } catch (RuntimeException | AssertionError e) {
      out.println(FAILED + e.toString().replace('\n', ' '));
      System.exit(2);
    }
    out.println(FINISHED + counting.steps());
    System.exit(0);
  }

  /**
   * Loads the driver's, Jdbi's and the runner's classes before the iteration needs them. Embedded
   * databases are warmed on a scratch in-memory database: the iteration's file may be open in the
   * parent.
   */
  private static void warmUp(TestDatabase db) throws Exception {
    String url =
        db.url().startsWith("jdbc:h2:")
            ? "jdbc:h2:mem:"
            : db.url().startsWith("jdbc:sqlite:") ? "jdbc:sqlite::memory:" : db.url();
    try (Connection connection =
        db.user() == null
            ? DriverManager.getConnection(url)
            : DriverManager.getConnection(url, db.user(), db.password())) {
      Jdbi.create(connection).withHandle(h -> h.createQuery("SELECT 1").mapTo(Integer.class).one());
    }
    DataSource unused = db.dataSource();
    FaultHarness.runner(unused, false, new FaultCatalog.Tables("warm_"), Duration.ZERO);
  }
}
