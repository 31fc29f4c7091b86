package dev.datamigrations.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/** One execution of the command line: exit code and captured output. */
record CliRun(int exitCode, String out, String err) {

  /** Runs {@code args} through {@code cli}, capturing its output and errors. */
  static CliRun of(DataMigrationsCli.Builder cli, String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int exitCode =
        cli.out(new PrintStream(out, true, StandardCharsets.UTF_8))
            .err(new PrintStream(err, true, StandardCharsets.UTF_8))
            .execute(args);
    return new CliRun(
        exitCode, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  @Override
  public String toString() {
    return "exit " + exitCode + "\n--- out:\n" + out + "--- err:\n" + err;
  }
}
