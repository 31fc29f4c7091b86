package dev.datamigrations.benchmarks.live;

import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The live-traffic benchmark's options, {@code --name=value}; see BENCHMARKS.md for each one's
 * meaning.
 *
 * @param phases which phases run: {@code alone}, {@code plain}, {@code backfill}, {@code
 *     throttled}, {@code noload}
 */
record LiveOptions(
    String host,
    int port,
    String user,
    String password,
    String database,
    int scale,
    int clients,
    int jobs,
    int warmupSeconds,
    int aloneSeconds,
    int tailSeconds,
    long noLoadRows,
    List<Integer> workers,
    List<Integer> tunedWorkers,
    Set<String> phases) {

  static final Set<String> ALL_PHASES = Set.of("alone", "plain", "backfill", "throttled", "noload");

  static LiveOptions parse(String[] args) {
    String host = "127.0.0.1";
    int port = 5432;
    String user = "postgres";
    String password = "";
    String database = "datamigrations_live_bench";
    int scale = 10;
    int clients = 4;
    int jobs = 2;
    int warmup = 5;
    int alone = 30;
    int tail = 3;
    long noLoadRows = 2_000_000;
    List<Integer> workers = List.of(1, 4);
    List<Integer> tunedWorkers = List.of();
    Set<String> phases = ALL_PHASES;
    for (String arg : args) {
      int eq = arg.indexOf('=');
      if (!arg.startsWith("--") || eq < 0) {
        throw new IllegalArgumentException(
            "Options are --name=value; got " + arg + " (see BENCHMARKS.md)");
      }
      String value = arg.substring(eq + 1);
      switch (arg.substring(2, eq)) {
        case "host" -> host = value;
        case "port" -> port = Integer.parseInt(value);
        case "user" -> user = value;
        case "password" -> password = value;
        case "database" -> database = value;
        case "scale" -> scale = Integer.parseInt(value);
        case "clients" -> clients = Integer.parseInt(value);
        case "jobs" -> jobs = Integer.parseInt(value);
        case "warmup" -> warmup = Integer.parseInt(value);
        case "alone" -> alone = Integer.parseInt(value);
        case "tail" -> tail = Integer.parseInt(value);
        case "no-load-rows" -> noLoadRows = Long.parseLong(value.replace("_", "").replace(",", ""));
        case "workers" -> workers = Arrays.stream(value.split(",")).map(Integer::parseInt).toList();
        case "tuned-workers" ->
            tunedWorkers =
                value.isBlank()
                    ? List.of()
                    : Arrays.stream(value.split(",")).map(Integer::parseInt).toList();
        case "phases" -> {
          phases = Arrays.stream(value.split(",")).map(String::trim).collect(Collectors.toSet());
          if (!ALL_PHASES.containsAll(phases)) {
            throw new IllegalArgumentException(
                "--phases takes a list of " + ALL_PHASES + "; got " + value);
          }
        }
        default ->
            throw new IllegalArgumentException("Unknown option " + arg + " (see BENCHMARKS.md)");
      }
    }
    if (!database.matches("[A-Za-z_][A-Za-z0-9_]*")) {
      throw new IllegalArgumentException(
          "--database must be a plain SQL identifier; got " + database);
    }
    return new LiveOptions(
        host,
        port,
        user,
        password,
        database,
        scale,
        clients,
        jobs,
        warmup,
        alone,
        tail,
        noLoadRows,
        workers,
        tunedWorkers,
        phases);
  }

  String jdbcUrl(String db) {
    return "jdbc:postgresql://" + host + ":" + port + "/" + db;
  }
}
