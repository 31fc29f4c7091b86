package dev.datamigrations.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;

/**
 * The command line routes SLF4J itself when the class path has no binding: no "No SLF4J providers"
 * warning, warnings on standard error; an application's own binding is left alone.
 */
class CliLoggingTest {

  @Test
  void aRunWithoutAnySlf4jBindingPrintsNoSlf4jWarning() throws Exception {
    // A JVM like a user's: the test class path without slf4j-simple, the CLI as the main class.
    String classPath =
        Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
            .filter(element -> !element.contains("slf4j-simple"))
            .collect(Collectors.joining(File.pathSeparator));
    Path err = Files.createTempFile("cli-err", ".txt");
    Path out = Files.createTempFile("cli-out", ".txt");
    List<String> command =
        new ArrayList<>(
            List.of(
                Paths.get(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                classPath,
                DataMigrationsCli.class.getName(),
                "--url",
                "jdbc:h2:mem:slf4j_" + UUID.randomUUID(),
                "status"));
    Process process =
        new ProcessBuilder(command)
            .redirectError(err.toFile())
            .redirectOutput(out.toFile())
            .start();
    assertTrue(process.waitFor(60, TimeUnit.SECONDS), "the CLI did not finish within 60 s");

    String errors = Files.readString(err, StandardCharsets.UTF_8);
    assertEquals(0, process.exitValue(), errors + Files.readString(out, StandardCharsets.UTF_8));
    assertFalse(errors.contains("SLF4J"), errors);
    assertTrue(Files.readString(out, StandardCharsets.UTF_8).contains("applied,"), errors);
  }

  @Test
  void aRunOnAnApplicationsSlf4j1ClassPathWorks() throws Exception {
    // An application still on SLF4J 1.7 (Maven picks its slf4j-api over the runtime's 2.x; the
    // Maven plugin runs
    // on the project's class path): SLF4J 2's provider interface is missing, so the CLI must not
    // need it.
    Path slf4j1 =
        Paths.get("target", "slf4j1", "slf4j-api.jar").toAbsolutePath(); // copied by the pom
    assertTrue(Files.isRegularFile(slf4j1), slf4j1 + " is missing: run the tests through Maven");
    String classPath =
        Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
            .filter(element -> !element.contains("slf4j-simple"))
            .map(element -> element.contains("slf4j-api") ? slf4j1.toString() : element)
            .collect(Collectors.joining(File.pathSeparator));
    Path err = Files.createTempFile("cli-err", ".txt");
    Path out = Files.createTempFile("cli-out", ".txt");
    List<String> command =
        List.of(
            Paths.get(System.getProperty("java.home"), "bin", "java").toString(),
            "-cp",
            classPath,
            DataMigrationsCli.class.getName(),
            "--url",
            "jdbc:h2:mem:slf4j1_" + UUID.randomUUID(),
            "status");
    Process process =
        new ProcessBuilder(command)
            .redirectError(err.toFile())
            .redirectOutput(out.toFile())
            .start();
    assertTrue(process.waitFor(60, TimeUnit.SECONDS), "the CLI did not finish within 60 s");

    String errors = Files.readString(err, StandardCharsets.UTF_8);
    assertEquals(0, process.exitValue(), errors + Files.readString(out, StandardCharsets.UTF_8));
    assertTrue(Files.readString(out, StandardCharsets.UTF_8).contains("applied,"), errors);
  }

  @Test
  void itsLoggersPrintWarningsAlwaysAndInfoOnlyWhenVerbose() throws IOException {
    Logger logger =
        new CliLogging.Provider().getLoggerFactory().getLogger("dev.datamigrations.test");
    PrintStream original = System.err;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
    try {
      CliLogging.install(false);
      logger.info("quiet {}", 1);
      logger.warn("Backfill {} backs off for {} ms", 42, 100);
      CliLogging.install(true);
      logger.info("loud {}", 2);
      logger.debug("never");
    } finally {
      System.setErr(original);
      CliLogging.install(false);
    }

    assertEquals(
        List.of("[WARN] Backfill 42 backs off for 100 ms", "[INFO] loud 2"),
        captured.toString(StandardCharsets.UTF_8).lines().toList());
  }

  @Test
  void anApplicationsOwnBindingIsKept() {
    // This test JVM has slf4j-simple: the command line must not choose a provider over it.
    CliLogging.install(false);

    assertEquals(null, System.getProperty(CliLogging.PROVIDER_PROPERTY));
  }
}
