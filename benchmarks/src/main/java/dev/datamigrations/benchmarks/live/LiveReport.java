package dev.datamigrations.benchmarks.live;

import java.io.PrintStream;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** Prints the live-traffic benchmark's tables and its targets (issue 13) as PASS / MISS lines. */
final class LiveReport {
  private final PrintStream out;

  LiveReport(PrintStream out) {
    this.out = out;
  }

  void print(
      LiveOptions options,
      String pgbenchVersion,
      String serverVersion,
      String loadAtStart,
      String loadAtEnd,
      double seconds,
      List<PhaseResult> phases,
      List<NoLoadResult> noLoad) {
    out.println("datamigrations live-traffic benchmark");
    out.printf(
        Locale.ROOT,
        "Machine: %d cores; load average at start %s, at end %s; run took %.0f s%n",
        Runtime.getRuntime().availableProcessors(),
        loadAtStart,
        loadAtEnd,
        seconds);
    out.println("Server: " + serverVersion);
    out.println("pgbench: " + pgbenchVersion);
    out.printf(
        Locale.ROOT,
        "Load: pgbench TPC-B-like, scale %d (%,d accounts), %d clients, %d threads, warm-up %d s%n",
        options.scale(),
        options.scale() * 100_000L,
        options.clients(),
        options.jobs(),
        options.warmupSeconds());
    out.println(
        "tps: transactions that ended while the change ran; latencies, failures, retries: transactions that overlapped it");
    out.println();
    Optional<PhaseResult> alone =
        phases.stream().filter(p -> p.name().equals("pgbench alone")).findFirst();
    out.printf(
        Locale.ROOT,
        "  %-20s %9s %8s %7s %9s %9s %7s %9s %7s %7s %9s %11s  %s%n",
        "phase",
        "change s",
        "tps",
        "x alone",
        "p50 ms",
        "p99 ms",
        "x alone",
        "max ms",
        "failed",
        "retried",
        "NULLs left",
        "longest batch",
        "outcome");
    for (PhaseResult p : phases) {
      WindowStats s = p.stats();
      out.printf(
          Locale.ROOT,
          "  %-20s %9s %8.0f %7s %9.2f %9.2f %7s %9.1f %7d %7d %9s %11s  %s%n",
          p.name(),
          Double.isNaN(p.changeSeconds())
              ? String.format(Locale.ROOT, "(%.0f s)", s.seconds())
              : fmt(p.changeSeconds(), "%.1f"),
          s.tps(),
          alone.map(a -> ratio(s.tps(), a.stats().tps())).orElse(""),
          s.p50Millis(),
          s.p99Millis(),
          alone.map(a -> ratio(s.p99Millis(), a.stats().p99Millis())).orElse(""),
          s.maxMillis(),
          p.pgbenchFailures(),
          s.retried(),
          p.nullsLeft() < 0 ? "" : Long.toString(p.nullsLeft()),
          Double.isNaN(p.longestBatchMillis()) ? "" : fmt(p.longestBatchMillis(), "%.0f ms"),
          p.outcome());
    }
    Optional<PhaseResult> plain =
        phases.stream().filter(p -> p.name().equals("plain UPDATE")).findFirst();
    Optional<PhaseResult> backfill =
        phases.stream().filter(p -> p.name().startsWith("backfill")).findFirst();
    if (plain.isPresent() && backfill.isPresent()) {
      out.printf(
          Locale.ROOT,
          "  backfill's duration under load: %.2fx the plain UPDATE's%n",
          backfill.get().changeSeconds() / plain.get().changeSeconds());
    }
    if (!noLoad.isEmpty()) {
      out.println();
      out.println(
          "No load: the same change alone; longest lock = the plain UPDATE's statement, or the backfill's longest");
      out.println("batch transaction (claim to commit) from its own progress record");
      out.printf(
          Locale.ROOT,
          "  %12s  %-20s %9s %12s %9s %17s %10s%n",
          "rows",
          "variant",
          "time s",
          "rows/s",
          "vs plain",
          "longest lock ms",
          "NULLs left");
      double plainRate = noLoad.get(0).rowsPerSecond();
      for (NoLoadResult r : noLoad) {
        out.printf(
            Locale.ROOT,
            "  %,12d  %-20s %9.1f %,12.0f %8.2fx %,17.0f %10d%n",
            r.rows(),
            r.variant(),
            r.seconds(),
            r.rowsPerSecond(),
            r.rowsPerSecond() / plainRate,
            r.longestLockMillis(),
            r.nullsLeft());
      }
    }
    out.println();
    out.println("Targets (issue 13, at default settings):");
    if (backfill.isPresent()) {
      PhaseResult b = backfill.get();
      if (alone.isPresent()) {
        WindowStats a = alone.get().stats();
        target(
            "backfill: pgbench tps >= 0.60x alone",
            b.stats().tps() / a.tps() >= 0.6,
            ratio(b.stats().tps(), a.tps()));
        target(
            "backfill: pgbench p99 <= 2.5x alone",
            b.stats().p99Millis() / a.p99Millis() <= 2.5,
            ratio(b.stats().p99Millis(), a.p99Millis()));
      }
      target(
          "backfill: pgbench max latency <= 250 ms",
          b.stats().maxMillis() <= 250,
          fmt(b.stats().maxMillis(), "%.1f ms"));
      target(
          "backfill: 0 failed pgbench transactions",
          b.pgbenchFailures() == 0,
          Long.toString(b.pgbenchFailures()));
      target(
          "backfill: 0 failed batches (ran to done)", b.outcome().startsWith("done"), b.outcome());
      target("backfill: every row filled", b.nullsLeft() == 0, b.nullsLeft() + " NULLs left");
    }
    Optional<PhaseResult> throttled =
        phases.stream().filter(p -> p.name().equals("throttled backfill")).findFirst();
    if (throttled.isPresent()) {
      PhaseResult t = throttled.get();
      if (alone.isPresent()) {
        target(
            "throttled backfill: pgbench tps >= 0.85x alone",
            t.stats().tps() / alone.get().stats().tps() >= 0.85,
            ratio(t.stats().tps(), alone.get().stats().tps()));
      }
      target(
          "throttled backfill: 0 failed batches (ran to done)",
          t.outcome().startsWith("done"),
          t.outcome());
      target(
          "throttled backfill: every row filled",
          t.nullsLeft() == 0,
          t.nullsLeft() + " NULLs left");
    }
    plain.ifPresent(
        p ->
            target(
                "plain UPDATE: every row filled",
                p.nullsLeft() == 0,
                p.nullsLeft() + " NULLs left"));
    if (!noLoad.isEmpty()) {
      double plainRate = noLoad.get(0).rowsPerSecond();
      for (NoLoadResult r : noLoad.subList(1, noLoad.size())) {
        if (r.variant().endsWith(" 1 worker")) {
          target(
              "no load, " + r.variant() + ": >= 0.90x plain UPDATE",
              r.rowsPerSecond() / plainRate >= 0.9,
              ratio(r.rowsPerSecond(), plainRate));
        }
        target(
            "no load, " + r.variant() + ": longest lock <= 200 ms",
            r.longestLockMillis() <= 200,
            fmt(r.longestLockMillis(), "%.0f ms"));
        target(
            "no load, " + r.variant() + ": every row filled",
            r.nullsLeft() == 0,
            r.nullsLeft() + " NULLs left");
      }
    }
  }

  private void target(String what, boolean met, String value) {
    out.printf(Locale.ROOT, "  %s %-58s %s%n", met ? "PASS" : "MISS", what, value);
  }

  private static String ratio(double a, double b) {
    return String.format(Locale.ROOT, "%.2fx", a / b);
  }

  private static String fmt(double value, String format) {
    return String.format(Locale.ROOT, format, value);
  }
}
