package dev.datamigrations.cli;

import java.time.Duration;
import java.util.Locale;

/** Formats durations and counts the same way in every line the command line prints. */
final class Formats {
  private Formats() {}

  /** Returns {@code 0.4 s} under a minute, {@code 2 min 05 s} above. */
  static String format(Duration d) {
    long millis = d.toMillis();
    if (millis < 60_000) {
      return String.format(Locale.ROOT, "%.1f s", millis / 1000.0);
    }
    return String.format(Locale.ROOT, "%d min %02d s", millis / 60_000, (millis / 1000) % 60);
  }

  /** Returns whole seconds, {@code 30 s} or {@code 2 min 05 s}, for progress lines. */
  static String formatWhole(Duration d) {
    long seconds = d.getSeconds();
    if (seconds < 60) {
      return seconds + " s";
    }
    return String.format(Locale.ROOT, "%d min %02d s", seconds / 60, seconds % 60);
  }

  /** Returns {@code "1 data migration"} or {@code "3 data migrations"}. */
  static String count(long n) {
    return n + (n == 1 ? " data migration" : " data migrations");
  }
}
