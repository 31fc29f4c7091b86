package dev.datamigrations.benchmarks.live;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * PostgreSQL's own load generator, found on the PATH or in {@code
 * /usr/lib/postgresql/<version>/bin}: initialises its tables and runs its built-in TPC-B-like
 * script with a per-transaction log. From pgbench 15 on, transactions that fail with a
 * serialization failure or a deadlock are retried ({@code --max-tries}) and logged as failures by
 * kind ({@code --failures-detailed}); older versions log neither, and a client that meets an error
 * aborts.
 */
final class Pgbench {
  static final int MAX_TRIES = 10;

  private final String binary;
  private final String version;
  private final int major;

  private Pgbench(String binary, String version, int major) {
    this.binary = binary;
    this.version = version;
    this.major = major;
  }

  /** Finds pgbench, or throws saying where it looked and how to install it. */
  static Pgbench find() {
    List<Path> candidates = new ArrayList<>();
    for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
      if (!dir.isEmpty()) {
        candidates.add(Path.of(dir, "pgbench"));
      }
    }
    Path lib = Path.of("/usr/lib/postgresql");
    if (Files.isDirectory(lib)) {
      try (Stream<Path> versions = Files.list(lib)) {
        versions
            .sorted(
                Comparator.comparing(
                        (Path p) -> p.getFileName().toString(), Pgbench::compareVersions)
                    .reversed())
            .forEach(v -> candidates.add(v.resolve("bin/pgbench")));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    for (Path candidate : candidates) {
      if (Files.isExecutable(candidate)) {
        String version = run(List.of(candidate.toString(), "--version")).trim();
        Matcher m = Pattern.compile("(\\d+)(\\.\\d+)?").matcher(version);
        int major = m.find() ? Integer.parseInt(m.group(1)) : 0;
        return new Pgbench(candidate.toString(), version, major);
      }
    }
    throw new IllegalStateException(
        "pgbench not found on the PATH nor in /usr/lib/postgresql/*/bin: install PostgreSQL's client tools"
            + " (Debian: apt-get install postgresql-client)");
  }

  private static int compareVersions(String a, String b) {
    try {
      return Double.compare(Double.parseDouble(a), Double.parseDouble(b));
    } catch (NumberFormatException e) {
      return a.compareTo(b);
    }
  }

  String version() {
    return version + " (" + binary + ")";
  }

  /**
   * Whether this pgbench retries serialization failures and deadlocks and logs retries (pgbench
   * 15+).
   */
  boolean retries() {
    return major >= 15;
  }

  /**
   * Creates pgbench's four tables at {@code scale} (100,000 accounts per unit), dropping old ones;
   * vacuumed.
   */
  void initialise(LiveOptions options, int scale) {
    List<String> command =
        new ArrayList<>(List.of(binary, "-i", "-q", "-s", Integer.toString(scale)));
    command.addAll(connection(options));
    run(command, options);
  }

  /**
   * Starts the TPC-B-like script with {@code options.clients()} clients for at most {@code
   * seconds}, logging every transaction under {@code dir}; {@link Run#stop} ends it.
   */
  Run start(LiveOptions options, Path dir, String name, int seconds) {
    Path prefix = dir.resolve(name);
    List<String> command =
        new ArrayList<>(
            List.of(
                binary,
                "-c",
                Integer.toString(options.clients()),
                "-j",
                Integer.toString(options.jobs()),
                "-T",
                Integer.toString(seconds),
                "--log",
                "--log-prefix=" + prefix));
    if (retries()) {
      command.add("--max-tries=" + MAX_TRIES);
      command.add("--failures-detailed");
    }
    command.addAll(connection(options));
    try {
      ProcessBuilder builder =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectOutput(dir.resolve(name + ".out").toFile());
      environment(builder, options);
      Process process = builder.start();
      return new Run(process, dir, name, retries());
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot start " + command, e);
    }
  }

  private static List<String> connection(LiveOptions options) {
    return List.of(
        "-h",
        options.host(),
        "-p",
        Integer.toString(options.port()),
        "-U",
        options.user(),
        options.database());
  }

  private static void environment(ProcessBuilder builder, LiveOptions options) {
    if (!options.password().isEmpty()) {
      builder.environment().put("PGPASSWORD", options.password());
    }
  }

  private static String run(List<String> command) {
    return run(command, null);
  }

  private static String run(List<String> command, LiveOptions options) {
    try {
      ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
      if (options != null) {
        environment(builder, options);
      }
      Process process = builder.start();
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (process.waitFor() != 0) {
        throw new IllegalStateException(
            String.join(" ", command) + " failed (exit " + process.exitValue() + "):\n" + output);
      }
      return output;
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot run " + command, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while running " + command, e);
    }
  }

  /** A pgbench run in progress. */
  static final class Run {
    private final Process process;
    private final Path dir;
    private final String name;
    private final boolean withRetries;

    private Run(Process process, Path dir, String name, boolean withRetries) {
      this.process = process;
      this.dir = dir;
      this.name = name;
      this.withRetries = withRetries;
    }

    /**
     * Stops pgbench (SIGTERM: it prints no summary then, and loses the few log lines it had not
     * flushed yet, which is why the harness keeps it running a few seconds past what it measures)
     * and returns what it logged.
     */
    Result stop() {
      if (process.isAlive()) {
        process.destroy();
      }
      try {
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
          process.destroyForcibly().waitFor();
        }
        String output = Files.readString(dir.resolve(name + ".out"), StandardCharsets.UTF_8);
        List<Path> logs;
        try (Stream<Path> files = Files.list(dir)) {
          logs =
              files
                  .filter(f -> f.getFileName().toString().startsWith(name + "."))
                  .filter(f -> !f.toString().endsWith(".out"))
                  .toList();
        }
        if (logs.isEmpty()) {
          throw new IllegalStateException(
              "pgbench wrote no transaction log; its output:\n" + output);
        }
        return new Result(PgbenchLog.read(logs, withRetries), output);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("Interrupted while stopping pgbench", e);
      }
    }

    boolean isAlive() {
      return process.isAlive();
    }
  }

  /**
   * What a run logged: its transactions, and its console output (where a client that hit an error
   * it does not retry says {@code client N aborted}).
   */
  record Result(List<Transaction> transactions, String output) {
    long abortedClients() {
      return output.lines().filter(l -> l.contains("aborted")).count();
    }

    long lastEndMicros() {
      return transactions.stream().mapToLong(Transaction::endMicros).max().orElse(0);
    }
  }
}
