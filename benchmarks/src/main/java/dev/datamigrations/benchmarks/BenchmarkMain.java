package dev.datamigrations.benchmarks;

import dev.datamigrations.benchmarks.Options.Db;
import dev.datamigrations.benchmarks.Options.Scenario;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Runs the benchmarks and prints the table: {@code java -jar benchmarks/target/benchmarks.jar
 * [--quick]}. See {@link Options#USAGE} and BENCHMARKS.md.
 */
public final class BenchmarkMain {
  private static final List<Variant> VARIANTS = List.of(Variant.RAW, Variant.OURS, Variant.FLYWAY);

  private final Options options;
  private final Path work;
  private final Report report;
  private final Map<Integer, Compiled> compiled = new LinkedHashMap<>();

  private record Compiled(Path ours, Path flyway) {
    Path classes(Variant variant) {
      return switch (variant) {
        case RAW -> null;
        case OURS -> ours;
        case FLYWAY -> flyway;
      };
    }
  }

  private BenchmarkMain(Options options, Path work) {
    this.options = options;
    this.work = work;
    this.report = new Report(options);
  }

  public static void main(String[] args) throws Exception {
    Options options = Options.parse(args);
    String classPath = System.getProperty("java.class.path");
    if (System.getProperty(RELAUNCHED) == null
        && classPath.endsWith(".jar")
        && !classPath.contains(File.pathSeparator)) {
      System.exit(relaunchFromCopy(Path.of(classPath), args));
    }
    // Before any logger exists: per-migration INFO lines (ours and Flyway's) would time the
    // console.
    System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
    Path work = Files.createTempDirectory("datamigrations-bench");
    try {
      new BenchmarkMain(options, work).run();
    } finally {
      BenchDatabase.deleteTree(work);
    }
  }

  private static final String RELAUNCHED = "datamigrations.bench.relaunched";

  /**
   * Runs the benchmarks from a copy of the jar, in a JVM of their own: a run takes a quarter of an
   * hour and starts child JVMs on the jar, so a rebuild of the reactor meanwhile
   * (target/benchmarks.jar replaced) would otherwise break it halfway.
   */
  private static int relaunchFromCopy(Path jar, String[] args)
      throws IOException, InterruptedException {
    Path copy = Files.createTempFile("datamigrations-benchmarks", ".jar");
    try {
      Files.copy(jar, copy, StandardCopyOption.REPLACE_EXISTING);
      List<String> command =
          new ArrayList<>(
              List.of(
                  Processes.javaHomeTool("java"),
                  "-D" + RELAUNCHED + "=true",
                  "-cp",
                  copy.toString(),
                  BenchmarkMain.class.getName()));
      command.addAll(List.of(args));
      return new ProcessBuilder(command).inheritIO().start().waitFor();
    } finally {
      Files.deleteIfExists(copy);
    }
  }

  private void run() throws Exception {
    List<BenchDatabase> databases = new ArrayList<>();
    if (options.databases().contains(Db.H2)) {
      databases.add(new BenchDatabase.H2(Files.createDirectories(work.resolve("h2"))));
    }
    if (options.databases().contains(Db.PG)) {
      BenchDatabase.Postgres pg =
          new BenchDatabase.Postgres(options.pgUrl(), options.pgUser(), options.pgPassword());
      String why = pg.unreachable();
      if (why == null) {
        databases.add(pg);
      } else {
        report.note("PostgreSQL skipped: " + options.pgUrl() + " unreachable (" + why + ")");
      }
    }
    report.header(databases);
    boolean databaseScenarios =
        options.scenarios().contains(Scenario.APPLY)
            || options.scenarios().contains(Scenario.NOOP)
            || options.scenarios().contains(Scenario.PROCESS);
    databaseScenarios |= options.scenarios().contains(Scenario.BREAKDOWN);
    if (databaseScenarios) {
      for (BenchDatabase database : databases) {
        for (int n : options.counts()) {
          runDatabaseScenarios(database, n);
        }
      }
    }
    if (options.scenarios().contains(Scenario.JAVAC)) {
      runJavacCost();
    }
    report.print(System.out);
  }

  private Compiled compiled(int n) {
    return compiled.computeIfAbsent(
        n,
        count -> {
          Path root = work.resolve("n" + count);
          long start = System.nanoTime();
          Path ours = root.resolve("ours/classes");
          Sources.compile(Sources.writeOurs(root.resolve("ours/src"), count), ours, true);
          Path flyway = root.resolve("flyway/classes");
          Sources.compile(Sources.writeFlyway(root.resolve("flyway/src"), count), flyway, false);
          progress(
              "generated and compiled %d migrations per library in %.1f s", count, seconds(start));
          return new Compiled(ours, flyway);
        });
  }

  /**
   * Apply-all, then no-op in-process, then no-op as a whole process, on the databases the apply
   * left.
   */
  private void runDatabaseScenarios(BenchDatabase database, int n) throws Exception {
    Compiled classes = compiled(n);
    Map<Variant, BenchDatabase.Instance> applied = new EnumMap<>(Variant.class);
    try {
      boolean timed = options.scenarios().contains(Scenario.APPLY);
      int rounds = timed ? Math.max(options.reps(), options.flywayRepsAt(n)) : 1;
      for (int rep = 0; rep < rounds; rep++) {
        for (Variant variant : VARIANTS) {
          int variantReps = variant == Variant.FLYWAY ? options.flywayRepsAt(n) : options.reps();
          if (rep >= (timed ? variantReps : 1)) {
            continue;
          }
          BenchDatabase.Instance instance = database.create(variant.name() + "_" + n + "_" + rep);
          long start = System.nanoTime();
          int ran = variant.apply(instance.dataSource, classes.classes(variant), n);
          long nanos = System.nanoTime() - start;
          int rows = instance.rows();
          if (ran != n || rows != n) {
            throw new IllegalStateException(
                variant.label
                    + " applied "
                    + ran
                    + " migrations, "
                    + rows
                    + " rows; expected "
                    + n);
          }
          if (timed) {
            report.apply(database, n, variant).add(nanos);
            progress(
                "apply-all %s N=%d %s rep %d: %.1f ms",
                database.label(), n, variant.label, rep + 1, nanos / 1e6);
          }
          BenchDatabase.Instance previous = applied.put(variant, instance);
          if (previous != null) {
            previous.close();
          }
        }
      }
      if (options.scenarios().contains(Scenario.BREAKDOWN)) {
        runBreakdown(database, n, classes);
      }
      if (options.scenarios().contains(Scenario.NOOP)) {
        runNoOpInProcess(database, n, classes, applied);
      }
      if (options.scenarios().contains(Scenario.PROCESS)) {
        runNoOpProcess(database, n, classes, applied);
      }
    } finally {
      for (BenchDatabase.Instance instance : applied.values()) {
        instance.close();
      }
    }
  }

  private void runBreakdown(BenchDatabase database, int n, Compiled classes) throws Exception {
    for (int rep = 0; rep < Math.min(options.reps(), 3); rep++) {
      for (int part = 0; part < Breakdown.PARTS.length; part++) {
        try (BenchDatabase.Instance instance = database.create("breakdown_" + n + "_" + part)) {
          report
              .breakdown(database, n, part)
              .add(Breakdown.run(part, instance.dataSource, classes.ours(), n));
        }
      }
    }
    progress("breakdown %s N=%d done", database.label(), n);
  }

  private void runNoOpInProcess(
      BenchDatabase database, int n, Compiled classes, Map<Variant, BenchDatabase.Instance> applied)
      throws Exception {
    Map<Variant, Variant.Session> sessions = new EnumMap<>(Variant.class);
    try {
      for (Variant variant : VARIANTS) {
        sessions.put(
            variant,
            new Variant.Session(
                variant, applied.get(variant).dataSource, classes.classes(variant)));
      }
      // Warm-up: in-process means a JVM that has run this code before; the cold start is the
      // process scenario.
      for (int i = 0; i < 3; i++) {
        for (Variant variant : VARIANTS) {
          variant.noOp(applied.get(variant).dataSource, sessions.get(variant));
        }
      }
      for (int rep = 0; rep < options.reps(); rep++) {
        for (Variant variant : VARIANTS) {
          long start = System.nanoTime();
          variant.noOp(applied.get(variant).dataSource, sessions.get(variant));
          report.noOp(database, n, variant).add(System.nanoTime() - start);
        }
      }
      progress(
          "no-op in-process %s N=%d: raw %s, ours %s, Flyway %s ms",
          database.label(),
          n,
          report.noOp(database, n, Variant.RAW).format(1e-6),
          report.noOp(database, n, Variant.OURS).format(1e-6),
          report.noOp(database, n, Variant.FLYWAY).format(1e-6));
    } finally {
      for (Variant.Session session : sessions.values()) {
        session.close();
      }
    }
  }

  private void runNoOpProcess(
      BenchDatabase database,
      int n,
      Compiled classes,
      Map<Variant, BenchDatabase.Instance> applied) {
    for (BenchDatabase.Instance instance : applied.values()) {
      instance.release();
    }
    // One untimed round first, so that every variant finds its files in the page cache. The fourth
    // child,
    // "jdbi", runs raw's SELECT on a Jdbi handle (Jdbi.create + open), on raw's database: see
    // NoOpChild.
    List<String> children = List.of("raw", "ours", "flyway", "jdbi");
    for (int rep = -1; rep < options.reps(); rep++) {
      for (String child : children) {
        Variant variant =
            child.equals("jdbi") ? Variant.RAW : Variant.valueOf(child.toUpperCase(Locale.ROOT));
        BenchDatabase.Instance instance = applied.get(variant);
        Path migrations = classes.classes(variant);
        String classPath =
            migrations == null
                ? Sources.harnessClassPath()
                : Sources.classPath(Sources.harnessClassPath(), migrations.toString());
        Processes.Outcome outcome =
            Processes.run(
                List.of(
                    Processes.javaHomeTool("java"),
                    "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
                    "-cp",
                    classPath,
                    NoOpChild.class.getName(),
                    child,
                    instance.url,
                    instance.user,
                    instance.password));
        if (rep >= 0) {
          report.process(database, n, child).add(outcome.nanos());
          report.rss(database, n, child).add(Processes.peakRssKb(outcome.output()));
        }
      }
    }
    progress(
        "no-op process %s N=%d: raw %s, ours %s, Flyway %s ms",
        database.label(),
        n,
        report.process(database, n, "raw").format(1e-6),
        report.process(database, n, "ours").format(1e-6),
        report.process(database, n, "flyway").format(1e-6));
  }

  /** javac in a fresh process on the same sources, with and without our processor, interleaved. */
  private void runJavacCost() throws IOException {
    int n = options.javacClasses();
    Path root = work.resolve("javac" + n);
    List<Path> sources = Sources.writeOurs(root.resolve("src"), n);
    Path argFile = root.resolve("sources.txt");
    Files.write(argFile, sources.stream().map(Path::toString).toList());
    String classPath = Sources.harnessClassPath();
    // Without a processor, with ours, and with one that does nothing (javac's own cost of
    // processing at all).
    List<String> processors =
        List.of(
            "",
            "dev.datamigrations.processor.DataMigrationProcessor",
            NoOpProcessor.class.getName());
    for (int rep = -1; rep < options.reps(); rep++) {
      for (String processor : processors) {
        Path out = root.resolve("out-" + processor + "-" + rep);
        Files.createDirectories(out);
        List<String> command =
            new ArrayList<>(
                List.of(
                    Processes.javaHomeTool("javac"),
                    "-d",
                    out.toString(),
                    "-cp",
                    classPath,
                    "--release",
                    "17",
                    "-nowarn"));
        if (processor.isEmpty()) {
          command.add("-proc:none");
        } else {
          command.addAll(List.of("-processorpath", classPath, "-processor", processor));
        }
        command.add("@" + argFile);
        Processes.Outcome outcome = Processes.run(command);
        boolean ours = processor.startsWith("dev.datamigrations.processor");
        boolean generated = Files.exists(out.resolve("bench/ours/MigrationRegistry.class"));
        if (generated != ours) {
          throw new IllegalStateException(
              "javac with processor " + processor + ": generated=" + generated);
        }
        if (rep >= 0) {
          report.javac(processors.indexOf(processor)).add(outcome.nanos());
        }
        BenchDatabase.deleteTree(out);
      }
    }
    progress(
        "javac %d classes: without %s, with ours %s, with a no-op processor %s ms",
        n,
        report.javac(0).format(1e-6),
        report.javac(1).format(1e-6),
        report.javac(2).format(1e-6));
  }

  private static double seconds(long start) {
    return (System.nanoTime() - start) / 1e9;
  }

  private static void progress(String format, Object... args) {
    System.err.println("  .. " + String.format(Locale.ROOT, format, args));
  }
}
