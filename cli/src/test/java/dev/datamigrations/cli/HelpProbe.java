package dev.datamigrations.cli;

/**
 * A {@code main} for {@link HelpTest}'s child JVM: runs {@code --help}, then {@code COMMAND --help}
 * for each argument, through the command line as {@link DataMigrationsCli#main} builds it; exits
 * with the first non-zero exit code, else 0.
 */
public final class HelpProbe {
  private HelpProbe() {}

  public static void main(String[] commands) {
    int exitCode = DataMigrationsCli.fromServiceLoader().execute("--help");
    for (String command : commands) {
      System.out.println("=== " + command);
      int commandExit = DataMigrationsCli.fromServiceLoader().execute(command, "--help");
      exitCode = exitCode != 0 ? exitCode : commandExit;
    }
    System.exit(exitCode);
  }
}
