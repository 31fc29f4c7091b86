package dev.datamigrations.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --help}, of the root and of every command, prints its usage and nothing on standard error:
 * no picocli warning (a bare {@code %} in a description breaks its formatter) and no SLF4J "No
 * SLF4J providers" lines, in a JVM like a user's, whose class path has no SLF4J binding.
 */
class HelpTest {

  @Test
  void everyCommandsHelpPrintsNothingOnStandardError(@TempDir Path dir) throws Exception {
    List<String> commands =
        DataMigrationsCli.forCatalog(new TestCatalog()).environment(Map.of()).commandNames();
    assertTrue(
        commands.containsAll(List.of("migrate", "work", "pause", "resume", "cancel", "new")),
        commands::toString);
    String classPath =
        Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
            .filter(element -> !element.contains("slf4j-simple"))
            .collect(Collectors.joining(File.pathSeparator));
    List<String> command =
        new ArrayList<>(
            List.of(
                Paths.get(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                classPath,
                HelpProbe.class.getName()));
    command.addAll(commands);
    Path out = dir.resolve("out.txt");
    Path err = dir.resolve("err.txt");
    Process process =
        new ProcessBuilder(command)
            .redirectOutput(out.toFile())
            .redirectError(err.toFile())
            .start();
    assertTrue(process.waitFor(120, TimeUnit.SECONDS), "the help runs did not finish within 120 s");

    String printed = Files.readString(out, StandardCharsets.UTF_8);
    String errors = Files.readString(err, StandardCharsets.UTF_8);
    assertEquals("", errors, "standard error of --help; standard output was:\n" + printed);
    assertEquals(0, process.exitValue(), printed);
    assertTrue(printed.startsWith("Usage: datamigrations [-h] "), printed);
    assertTrue(printed.contains("\nCommands:\n") && printed.contains("\nExit codes:\n"), printed);
    for (String name : commands) {
      String section = printed.substring(printed.indexOf("=== " + name + "\n"));
      assertTrue(
          section.startsWith("=== " + name + "\nUsage: datamigrations " + name + " "), section);
    }
  }
}
