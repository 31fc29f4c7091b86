package dev.datamigrations.cli;

/**
 * How {@code migrate} and {@code work} show a running backfill: a live bar redrawn on one line, or
 * a plain line every progress interval.
 */
public enum ProgressStyle {
  /**
   * A bar when the output is a terminal ({@code System.console()} is there and {@code TERM} is not
   * dumb), lines otherwise.
   */
  AUTO,
  /** One line redrawn with {@code \r} and ANSI: percent, rows, rate, ETA. */
  BAR,
  /** A plain line every progress interval, for logs and pipes. */
  LINES;

  /** Returns BAR or LINES: what AUTO means for {@code out} in {@code environment}. */
  ProgressStyle resolve(java.io.PrintStream out, java.util.Map<String, String> environment) {
    if (this != AUTO) {
      return this;
    }
    // Only the process's own standard output can be the terminal; a stream the application passed
    // is not.
    boolean terminal =
        out == System.out && System.console() != null && !"dumb".equals(environment.get("TERM"));
    return terminal ? BAR : LINES;
  }
}
