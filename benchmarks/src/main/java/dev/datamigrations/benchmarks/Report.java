package dev.datamigrations.benchmarks;

import dev.datamigrations.benchmarks.Samples.Ratio;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Collects the samples and prints the tables and the PASS/MISS list of the targets. */
final class Report {
  private final Options options;
  private final List<String> header = new ArrayList<>();
  private final List<String> notes = new ArrayList<>();
  private final List<BenchDatabase> databases = new ArrayList<>();
  private final Map<String, Samples> samples = new LinkedHashMap<>();
  private final long startNanos = System.nanoTime();

  Report(Options options) {
    this.options = options;
  }

  Samples apply(BenchDatabase db, int n, Variant v) {
    return samples("apply", db, n, v.name());
  }

  Samples noOp(BenchDatabase db, int n, Variant v) {
    return samples("noop", db, n, v.name());
  }

  /**
   * Returns the whole-process samples of child {@code child} (a variant's lower-case name, or
   * "jdbi").
   */
  Samples process(BenchDatabase db, int n, String child) {
    return samples("process", db, n, child.toUpperCase(Locale.ROOT));
  }

  Samples rss(BenchDatabase db, int n, String child) {
    return samples("rss", db, n, child.toUpperCase(Locale.ROOT));
  }

  Samples breakdown(BenchDatabase db, int n, int part) {
    return samples("breakdown", db, n, Integer.toString(part));
  }

  /** Returns javac's samples: 0 without a processor, 1 with ours, 2 with {@link NoOpProcessor}. */
  Samples javac(int processor) {
    return samples.computeIfAbsent("javac/" + processor, k -> new Samples());
  }

  private Samples samples(String scenario, BenchDatabase db, int n, String variant) {
    return samples.computeIfAbsent(
        scenario + "/" + db.label() + "/" + n + "/" + variant, k -> new Samples());
  }

  private Samples find(String scenario, BenchDatabase db, int n, Variant v) {
    return samples.get(scenario + "/" + db.label() + "/" + n + "/" + v.name());
  }

  void note(String note) {
    notes.add(note);
    System.err.println("  .. " + note);
  }

  void header(List<BenchDatabase> databases) {
    this.databases.addAll(databases);
    header.add(
        String.format(
            Locale.ROOT,
            "Machine: %d cores, %s RAM, load average at start %s",
            Runtime.getRuntime().availableProcessors(),
            memTotal(),
            loadAverage()));
    header.add(
        "JDK "
            + System.getProperty("java.version")
            + " ("
            + System.getProperty("java.vm.name")
            + "), Flyway "
            + flywayVersion()
            + ", Jdbi, H2 "
            + org.h2.engine.Constants.FULL_VERSION
            + databases.stream()
                .filter(d -> d instanceof BenchDatabase.Postgres)
                .map(d -> ", " + d.version())
                .findFirst()
                .orElse(""));
    header.add(
        String.format(
            Locale.ROOT,
            "Repetitions: %d (Flyway apply-all: %s); N = %s; unpooled DataSource; logging at WARN",
            options.reps(),
            options.counts().stream()
                .map(n -> n + ":" + options.flywayRepsAt(n))
                .reduce((a, b) -> a + " " + b)
                .orElse("-"),
            options.counts()));
    header.forEach(line -> System.err.println("  .. " + line));
  }

  void print(PrintStream out) {
    out.println();
    out.println("datamigrations benchmarks");
    header.forEach(out::println);
    notes.forEach(note -> out.println("Note: " + note));
    out.println(
        "Times in ms: median [min-max] of the repetitions; ratios: of the medians [min-max of the ratios");
    out.println(
        "of repetitions run back to back]. Run took "
            + Math.round((System.nanoTime() - startNanos) / 1e9)
            + " s; load average at end "
            + loadAverage()
            + ".");
    List<String[]> targets = new ArrayList<>();
    table(
        out,
        "1. apply-all: fresh database, apply all N (migration classes load cold)",
        "apply",
        1e-6,
        "ms",
        targets,
        1.15,
        List.of(1000, 5000),
        "apply-all");
    table(
        out,
        "2a. no-op, in-process: up-to-date database, decide nothing to do (lock included; warm JVM)",
        "noop",
        1e-6,
        "ms",
        targets,
        2.0,
        null,
        "no-op in-process");
    table(
        out,
        "2b. no-op, whole process: JVM start to exit (connect, decide, exit)",
        "process",
        1e-6,
        "ms",
        targets,
        1.2,
        List.of(5000),
        "no-op process wall");
    table(
        out,
        "2c. no-op, whole process: peak RSS (VmHWM)",
        "rss",
        1.0 / 1024,
        "MiB",
        targets,
        1.15,
        List.of(5000),
        "no-op process RSS");
    breakdown(out);
    Samples without = samples.get("javac/0");
    Samples with = samples.get("javac/1");
    Samples noOp = samples.get("javac/2");
    if (without != null && with != null) {
      out.println();
      out.println(
          "3. processor cost: javac (fresh process) on "
              + options.javacClasses()
              + " migration classes [ms]");
      out.printf(
          Locale.ROOT,
          "  %-22s %-22s %-22s %-20s %s%n",
          "without processor",
          "with ours",
          "with a no-op processor",
          "ours/without",
          "no-op/without");
      Ratio ratio = Ratio.of(with, without);
      out.printf(
          Locale.ROOT,
          "  %-22s %-22s %-22s %-20s %s%n",
          without.format(1e-6),
          with.format(1e-6),
          fmt(noOp, 1e-6),
          ratio,
          noOp == null ? "-" : Ratio.of(noOp, without));
      targets.add(
          target(
              "processor: javac with/without, " + options.javacClasses() + " classes",
              ratio,
              1.10));
    }
    out.println();
    out.println("Targets (same-run ratios of medians):");
    for (String[] target : targets) {
      out.printf(Locale.ROOT, "  %-4s %-52s %s%n", target[0], target[1], target[2]);
    }
  }

  private void table(
      PrintStream out,
      String title,
      String scenario,
      double scale,
      String unit,
      List<String[]> targets,
      double limit,
      List<Integer> targetCounts,
      String targetName) {
    boolean any = samples.keySet().stream().anyMatch(k -> k.startsWith(scenario + "/"));
    if (!any) {
      return;
    }
    out.println();
    out.println(title + " [" + unit + "]");
    boolean jdbi =
        samples.keySet().stream()
            .anyMatch(k -> k.startsWith(scenario + "/") && k.endsWith("/JDBI"));
    out.printf(
        Locale.ROOT,
        "  %-3s %6s  %-22s %-22s %-22s %-20s %-20s%s%n",
        "db",
        "N",
        "raw",
        "ours",
        "Flyway",
        "ours/raw",
        "ours/Flyway",
        jdbi
            ? String.format(Locale.ROOT, " %-22s %s", "raw on Jdbi handle", "ours/raw-on-Jdbi")
            : "");
    for (BenchDatabase db : databases) {
      for (int n : options.counts()) {
        Samples raw = find(scenario, db, n, Variant.RAW);
        Samples ours = find(scenario, db, n, Variant.OURS);
        Samples flyway = find(scenario, db, n, Variant.FLYWAY);
        if (raw == null && ours == null) {
          continue;
        }
        Ratio oursRaw = ours == null || raw == null ? null : Ratio.of(ours, raw);
        Ratio oursFlyway = ours == null || flyway == null ? null : Ratio.of(ours, flyway);
        Samples viaJdbi = samples.get(scenario + "/" + db.label() + "/" + n + "/JDBI");
        Ratio oursJdbi = ours == null || viaJdbi == null ? null : Ratio.of(ours, viaJdbi);
        out.printf(
            Locale.ROOT,
            "  %-3s %6d  %-22s %-22s %-22s %-20s %-20s%s%n",
            db.label(),
            n,
            fmt(raw, scale),
            fmt(ours, scale),
            fmt(flyway, scale),
            oursRaw == null ? "-" : oursRaw,
            oursFlyway == null ? "-" : oursFlyway,
            jdbi
                ? String.format(
                    Locale.ROOT,
                    " %-22s %s",
                    fmt(viaJdbi, scale),
                    oursJdbi == null ? "-" : oursJdbi)
                : "");
        if (oursRaw != null && (targetCounts == null || targetCounts.contains(n))) {
          targets.add(
              target(targetName + ", " + db.label() + ", N=" + n + ": ours/raw", oursRaw, limit));
        }
      }
    }
  }

  private void breakdown(PrintStream out) {
    if (samples.keySet().stream().noneMatch(k -> k.startsWith("breakdown/"))) {
      return;
    }
    out.println();
    out.println(
        "1b. apply-all breakdown of ours (see Breakdown.java): per-migration cost in microseconds, medians");
    out.printf(Locale.ROOT, "  %-3s %6s", "db", "N");
    for (String part : Breakdown.PARTS) {
      out.printf(Locale.ROOT, "  %-16s", part);
    }
    out.printf(Locale.ROOT, "  %s%n", "=> Jdbi stmt | runner | class load (us/migration)");
    for (BenchDatabase db : databases) {
      for (int n : options.counts()) {
        if (samples.get("breakdown/" + db.label() + "/" + n + "/0") == null) {
          continue;
        }
        double[] perMigration = new double[Breakdown.PARTS.length];
        out.printf(Locale.ROOT, "  %-3s %6d", db.label(), n);
        for (int part = 0; part < Breakdown.PARTS.length; part++) {
          Samples s = samples.get("breakdown/" + db.label() + "/" + n + "/" + part);
          perMigration[part] = s.median() / 1e3 / n;
          out.printf(Locale.ROOT, "  %-16s", Samples.number(perMigration[part]));
        }
        out.printf(
            Locale.ROOT,
            "  %s | %s | %s%n",
            Samples.number(perMigration[1] - perMigration[0]),
            Samples.number(perMigration[2] - perMigration[1]),
            Samples.number(perMigration[3] - perMigration[2]));
      }
    }
  }

  private static String fmt(Samples samples, double scale) {
    return samples == null ? "-" : samples.format(scale);
  }

  private static String[] target(String name, Ratio ratio, double limit) {
    boolean pass = ratio.value() <= limit;
    return new String[] {
      pass ? "PASS" : "MISS", name, String.format(Locale.ROOT, "%s (target <= %.2fx)", ratio, limit)
    };
  }

  private static String memTotal() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
        if (line.startsWith("MemTotal:")) {
          long kb = Long.parseLong(line.replaceAll("[^0-9]", ""));
          return String.format(Locale.ROOT, "%.0f GiB", kb / 1024.0 / 1024.0);
        }
      }
    } catch (IOException | RuntimeException ignored) {
      // Not Linux: the report says "?".
    }
    return "?";
  }

  static String loadAverage() {
    try {
      String[] parts = Files.readString(Path.of("/proc/loadavg")).split(" ");
      return parts[0] + " " + parts[1] + " " + parts[2];
    } catch (IOException | RuntimeException e) {
      return "?";
    }
  }

  private static String flywayVersion() {
    try (InputStream in =
        Report.class
            .getClassLoader()
            .getResourceAsStream("org/flywaydb/core/internal/version.txt")) {
      return in == null ? "?" : new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
    } catch (IOException e) {
      return "?";
    }
  }
}
