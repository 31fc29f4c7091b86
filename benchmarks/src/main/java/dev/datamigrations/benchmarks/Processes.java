package dev.datamigrations.benchmarks;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Runs child processes and times them from spawn to exit. */
final class Processes {
  private Processes() {}

  /** What a child did. */
  record Outcome(long nanos, int exitCode, String output) {}

  static String javaHomeTool(String tool) {
    return Path.of(System.getProperty("java.home"), "bin", tool).toString();
  }

  /**
   * Runs {@code command}, stdout and stderr merged, and returns its wall time; fails on a non-zero
   * exit.
   */
  static Outcome run(List<String> command) {
    ProcessBuilder builder = new ProcessBuilder(new ArrayList<>(command)).redirectErrorStream(true);
    try {
      long start = System.nanoTime();
      Process process = builder.start();
      String output;
      try (InputStream in = process.getInputStream()) {
        output = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      }
      int exit = process.waitFor();
      long nanos = System.nanoTime() - start;
      if (exit != 0) {
        throw new IllegalStateException("Child failed (" + exit + "): " + command + "\n" + output);
      }
      return new Outcome(nanos, exit, output);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Returns the {@code VmHWM_kB} a {@link NoOpChild} printed. */
  static long peakRssKb(String output) {
    for (String line : output.split("\n")) {
      if (line.startsWith("VmHWM_kB ")) {
        return Long.parseLong(line.substring("VmHWM_kB ".length()).trim());
      }
    }
    throw new IllegalStateException("No VmHWM_kB line in:\n" + output);
  }
}
