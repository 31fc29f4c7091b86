package dev.datamigrations.benchmarks;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * The command line: which scenarios, counts, repetitions and databases.
 *
 * @param flywayReps Flyway's apply-all repetitions, or 0 for the default (at most 3, and 1 from N =
 *     5,000 on: one Flyway run of 5,000 migrations takes minutes)
 */
record Options(
    Set<Scenario> scenarios,
    List<Integer> counts,
    int reps,
    int flywayReps,
    Set<Db> databases,
    int javacClasses,
    String pgUrl,
    String pgUser,
    String pgPassword) {

  enum Scenario {
    APPLY,
    NOOP,
    PROCESS,
    JAVAC,
    BREAKDOWN
  }

  enum Db {
    H2,
    PG
  }

  static final String USAGE =
      String.join(
          "\n",
          "Usage: java -jar benchmarks/target/benchmarks.jar [options]",
          "  --quick                  N=100,1000, 3 repetitions, Flyway once per N (a few minutes)",
          "  --scenarios=apply,noop,process,javac,breakdown   which scenarios (default: all)",
          "  --n=100,1000,5000        migration counts (default: 100,1000,5000)",
          "  --reps=5                 repetitions per measurement (default 5)",
          "  --flyway-reps=K          Flyway apply-all repetitions (default: min(reps,3), 1 from N=5000)",
          "  --db=h2,pg               databases (default: both; PostgreSQL skipped when unreachable)",
          "  --javac-classes=1000     classes compiled by the processor-cost scenario",
          "  --pg-url=jdbc:postgresql://127.0.0.1:5432/test  --pg-user=postgres  --pg-password=");

  static Options parse(String[] args) {
    Set<Scenario> scenarios = EnumSet.allOf(Scenario.class);
    List<Integer> counts = List.of(100, 1000, 5000);
    int reps = 5;
    int flywayReps = 0;
    Set<Db> databases = EnumSet.allOf(Db.class);
    int javacClasses = 1000;
    String pgUrl = "jdbc:postgresql://127.0.0.1:5432/test";
    String pgUser = "postgres";
    String pgPassword = "";
    for (String arg : args) {
      String name = arg.contains("=") ? arg.substring(0, arg.indexOf('=')) : arg;
      String value = arg.contains("=") ? arg.substring(arg.indexOf('=') + 1) : "";
      switch (name) {
        case "--quick" -> {
          counts = List.of(100, 1000);
          reps = 3;
          flywayReps = 1;
        }
        case "--scenarios" -> {
          scenarios = EnumSet.noneOf(Scenario.class);
          for (String s : value.split(",")) {
            scenarios.add(Scenario.valueOf(s.trim().toUpperCase()));
          }
        }
        case "--n" -> counts = ints(value);
        case "--reps" -> reps = Integer.parseInt(value);
        case "--flyway-reps" -> flywayReps = Integer.parseInt(value);
        case "--db" -> {
          databases = EnumSet.noneOf(Db.class);
          for (String s : value.split(",")) {
            databases.add(Db.valueOf(s.trim().toUpperCase()));
          }
        }
        case "--javac-classes" -> javacClasses = Integer.parseInt(value);
        case "--pg-url" -> pgUrl = value;
        case "--pg-user" -> pgUser = value;
        case "--pg-password" -> pgPassword = value;
        case "--help", "-h" -> {
          System.out.println(USAGE);
          System.exit(0);
        }
        default -> throw new IllegalArgumentException("Unknown option " + arg + "\n" + USAGE);
      }
    }
    if (reps < 1) {
      throw new IllegalArgumentException("--reps must be at least 1");
    }
    return new Options(
        scenarios, counts, reps, flywayReps, databases, javacClasses, pgUrl, pgUser, pgPassword);
  }

  /** Returns Flyway's apply-all repetitions at {@code n} migrations. */
  int flywayRepsAt(int n) {
    if (flywayReps > 0) {
      return flywayReps;
    }
    return n >= 5000 ? 1 : Math.min(reps, 3);
  }

  private static List<Integer> ints(String value) {
    List<Integer> list = new ArrayList<>();
    for (String s : value.split(",")) {
      list.add(Integer.parseInt(s.trim().replace("_", "")));
    }
    return List.copyOf(list);
  }
}
