package dev.datamigrations.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import picocli.CommandLine.TypeConversionException;

/** The converters and mappings the commands share. */
class SmallPartsTest {

  @Test
  void durationsAcceptShortFormsAndIso() {
    DurationConverter converter = new DurationConverter();
    assertEquals(Duration.ofMillis(500), converter.convert("500ms"));
    assertEquals(Duration.ofSeconds(30), converter.convert("30s"));
    assertEquals(Duration.ofMinutes(5), converter.convert("5m"));
    assertEquals(Duration.ofHours(1), converter.convert("1h"));
    assertEquals(Duration.ofSeconds(90), converter.convert("PT1M30S"));
    assertThrows(TypeConversionException.class, () -> converter.convert("soon"));
  }

  @Test
  void formatsDurations() {
    assertEquals("1.2 s", Formats.format(Duration.ofMillis(1234)));
    assertEquals("2 min 05 s", Formats.format(Duration.ofSeconds(125)));
    assertEquals("30 s", Formats.formatWhole(Duration.ofMillis(30_900)));
    assertEquals("1 data migration", Formats.count(1));
  }

  @Test
  void helpPrintsEveryOptionsDescriptionWithoutPicocliWarnings() {
    // picocli formats descriptions with String.format: a bare '%' makes it warn on System.err, in
    // every usage.
    java.io.PrintStream original = System.err;
    java.io.ByteArrayOutputStream stderr = new java.io.ByteArrayOutputStream();
    System.setErr(new java.io.PrintStream(stderr, true, java.nio.charset.StandardCharsets.UTF_8));
    CliRun help;
    try {
      help =
          CliRun.of(
              DataMigrationsCli.forCatalog(new TestCatalog()).environment(java.util.Map.of()),
              "migrate",
              "--help");
    } finally {
      System.setErr(original);
    }

    assertEquals(0, help.exitCode(), help::toString);
    org.junit.jupiter.api.Assertions.assertTrue(help.out().contains("20% at most"), help::toString);
    assertEquals("", stderr.toString(java.nio.charset.StandardCharsets.UTF_8) + help.err());
  }
}
