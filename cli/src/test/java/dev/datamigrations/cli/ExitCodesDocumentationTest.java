package dev.datamigrations.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The exit codes are described once, in {@link ExitCodes#MEANINGS}: every constant has exactly one
 * meaning, the README's table says the same thing code by code (no constant undocumented, no stale
 * row), and {@code --help} prints the same texts.
 */
class ExitCodesDocumentationTest {
  private static final Path README = Path.of("..", "README.md");
  private static final String TABLE_INTRO = "Exit codes a deploy script can trust:";
  private static final Pattern ROW = Pattern.compile("\\| (\\d+) \\| (.+) \\|");

  private static Map<Integer, String> constants() throws IllegalAccessException {
    Map<Integer, String> byCode = new TreeMap<>();
    for (Field field : ExitCodes.class.getFields()) {
      if (Modifier.isStatic(field.getModifiers()) && field.getType() == int.class) {
        String previous = byCode.put(field.getInt(null), field.getName());
        assertEquals(null, previous, "two constants share exit code " + field.getInt(null));
      }
    }
    return byCode;
  }

  private static Map<Integer, String> meanings() {
    Map<Integer, String> byCode = new LinkedHashMap<>();
    for (ExitCodes.Meaning meaning : ExitCodes.MEANINGS) {
      assertEquals(
          null,
          byCode.put(meaning.code(), meaning.text()),
          "exit code " + meaning.code() + " twice");
    }
    return byCode;
  }

  /**
   * Returns the README's exit-code table, code to meaning, with the Markdown code marks taken out.
   */
  private static Map<Integer, String> readmeTable() throws IOException {
    List<String> lines = Files.readAllLines(README);
    int intro = lines.indexOf(TABLE_INTRO);
    assertTrue(intro >= 0, "README.md has no line '" + TABLE_INTRO + "'");
    Map<Integer, String> byCode = new LinkedHashMap<>();
    for (String line : lines.subList(intro + 1, lines.size())) {
      if (line.isBlank() && !byCode.isEmpty()) {
        break;
      }
      Matcher row = ROW.matcher(line);
      if (row.matches()) {
        String previous = byCode.put(Integer.parseInt(row.group(1)), row.group(2).replace("`", ""));
        assertEquals(null, previous, "README.md documents exit code " + row.group(1) + " twice");
      }
    }
    return byCode;
  }

  @Test
  void everyConstantHasOneMeaningInAscendingOrder() throws IllegalAccessException {
    assertEquals(List.copyOf(constants().keySet()), List.copyOf(meanings().keySet()));
  }

  @Test
  void theReadmeTableSaysWhatExitCodesSays() throws Exception {
    Map<Integer, String> readme = readmeTable();
    assertEquals(meanings().keySet(), readme.keySet(), "codes in ExitCodes vs. rows in README.md");
    for (Map.Entry<Integer, String> meaning : meanings().entrySet()) {
      assertEquals(
          meaning.getValue(),
          readme.get(meaning.getKey()),
          "README.md's row for exit code "
              + meaning.getKey()
              + " ("
              + constants().get(meaning.getKey())
              + ")");
    }
  }

  @Test
  void helpPrintsEveryMeaning() {
    CliRun help =
        CliRun.of(DataMigrationsCli.forCatalog(new TestCatalog()).environment(Map.of()), "--help");
    assertEquals(0, help.exitCode(), help::toString);
    String footer =
        help.out().substring(help.out().indexOf("Exit codes:\n") + "Exit codes:\n".length());
    // Unwrap: a line that starts with a code starts a meaning; the indented lines after it continue
    // it.
    Map<Integer, String> printed = new LinkedHashMap<>();
    List<String> current = new ArrayList<>();
    int code = -1;
    for (String line : footer.lines().takeWhile(line -> !line.isBlank()).toList()) {
      Matcher start = Pattern.compile("  (\\d)  (.*)").matcher(line);
      if (start.matches()) {
        if (code >= 0) {
          printed.put(code, String.join(" ", current));
        }
        code = Integer.parseInt(start.group(1));
        current = new ArrayList<>(List.of(start.group(2)));
      } else {
        assertTrue(line.startsWith("     "), "not a continuation: '" + line + "'");
        current.add(line.strip());
      }
      assertTrue(line.length() <= 80, "wider than 80 columns: '" + line + "'");
    }
    printed.put(code, String.join(" ", current));
    assertEquals(meanings(), printed, help.out());
    assertEquals(
        meanings().keySet().stream().map(String::valueOf).collect(Collectors.joining(",")),
        printed.keySet().stream().map(String::valueOf).collect(Collectors.joining(",")));
  }
}
