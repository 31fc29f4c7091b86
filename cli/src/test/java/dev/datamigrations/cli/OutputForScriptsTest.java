package dev.datamigrations.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.datamigrations.runtime.MigrationRunner;
import dev.datamigrations.runtime.backfill.BackfillSettings;
import dev.datamigrations.runtime.backfill.Backfills;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;

/**
 * {@code status --format json} and {@code pending --format json}: parsed with Jackson, field by
 * field, as a deploy script would read them (the shape in the README's "Output for scripts").
 */
class OutputForScriptsTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final List<String> MIGRATION_FIELDS =
      List.of(
          "version",
          "state",
          "description",
          "class",
          "reversible",
          "appliedAt",
          "appliedBy",
          "durationMillis",
          "reason",
          "backfill");
  private static final List<String> BACKFILL_FIELDS =
      List.of(
          "state",
          "percent",
          "rowsDone",
          "estimatedTotal",
          "batchesDone",
          "batchSize",
          "rowsPerSecond",
          "etaSeconds",
          "startedAt",
          "updatedAt",
          "longestBatchMillis",
          "recentFailures");

  private final String url = "jdbc:h2:mem:cli_json_" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";
  private final Jdbi jdbi = Jdbi.create(url);

  private CliRun run(TestCatalog catalog, String... args) {
    List<String> all = new ArrayList<>(List.of("--url", url));
    all.addAll(List.of(args));
    return CliRun.of(
        DataMigrationsCli.forCatalog(catalog).environment(Map.of()), all.toArray(String[]::new));
  }

  @Test
  void statusJsonListsEveryVersionWithEveryFieldAndASummary() throws Exception {
    jdbi.useHandle(TestCatalog::createSchema);
    assertEquals(
        0,
        run(new TestCatalog(), "migrate", "--reason", "JIRA-7 \"quoted\"\nsecond line").exitCode());
    assertEquals(
        0, run(new TestCatalog(), "down", Long.toString(TestCatalog.NORMALIZE)).exitCode());

    CliRun status = run(new TestCatalog(), "status", "--format", "json");

    assertEquals(0, status.exitCode(), status::toString);
    JsonNode document = JSON.readTree(status.out());
    assertEquals(1, document.get("formatVersion").asInt());
    JsonNode migrations = document.get("migrations");
    assertEquals(3, migrations.size(), status::toString);
    for (JsonNode migration : migrations) {
      assertEquals(MIGRATION_FIELDS, fieldNames(migration), migration::toString);
    }
    JsonNode seed = migrations.get(0);
    assertEquals(TestCatalog.SEED, seed.get("version").asLong());
    assertEquals("APPLIED", seed.get("state").asText());
    assertEquals("Seed customers", seed.get("description").asText());
    assertEquals("test.SeedCustomers", seed.get("class").asText());
    assertTrue(seed.get("reversible").asBoolean());
    assertTrue(seed.get("appliedAt").asText().matches("\\d{4}-\\d\\d-\\d\\dT.*Z"), seed::toString);
    assertTrue(seed.get("appliedBy").asText().length() > 0, seed::toString);
    assertTrue(seed.get("durationMillis").isIntegralNumber(), seed::toString);
    assertEquals(
        "JIRA-7 \"quoted\"\nsecond line",
        seed.get("reason").asText(),
        "escaped and read back exactly");
    assertTrue(seed.get("backfill").isNull());
    JsonNode normalize = migrations.get(1);
    assertEquals("PENDING", normalize.get("state").asText(), "reverted");
    assertTrue(
        normalize.get("appliedAt").isNull() && normalize.get("durationMillis").isNull(),
        normalize::toString);
    assertEquals(
        Map.of("applied", 2, "pending", 1, "running", 0, "cancelled", 0, "failed", 0, "removed", 0),
        JSON.convertValue(document.get("summary"), Map.class));
  }

  @Test
  void pendingJsonListsWhatMigrateWouldRunAndCheckStillSetsTheExitCode() throws Exception {
    jdbi.useHandle(TestCatalog::createSchema);
    assertEquals(0, run(new TestCatalog(), "up", Long.toString(TestCatalog.SEED)).exitCode());

    CliRun pending = run(new TestCatalog(), "pending", "--format", "JSON", "--check");

    assertEquals(ExitCodes.PENDING, pending.exitCode(), pending::toString);
    JsonNode migrations = JSON.readTree(pending.out()).get("migrations");
    assertEquals(
        List.of(TestCatalog.NORMALIZE, TestCatalog.PURGE),
        List.of(
            migrations.get(0).get("version").asLong(), migrations.get(1).get("version").asLong()));
    assertEquals("PENDING", migrations.get(0).get("state").asText());
    assertEquals(1, JSON.readTree(pending.out()).get("summary").get("applied").asInt());

    assertEquals(0, run(new TestCatalog(), "migrate").exitCode());
    CliRun none = run(new TestCatalog(), "pending", "--format", "json", "--check");
    assertEquals(0, none.exitCode(), none::toString);
    assertEquals(0, JSON.readTree(none.out()).get("migrations").size());
  }

  @Test
  void aRunningBackfillCarriesItsProgress() throws Exception {
    jdbi.useHandle(
        h -> {
          h.execute("CREATE TABLE items (id BIGINT PRIMARY KEY, hits INT NOT NULL)");
          h.execute("INSERT INTO items SELECT x, 0 FROM SYSTEM_RANGE(1, 250)");
        });
    try (MigrationRunner runner =
        MigrationRunner.configure(jdbi, new BackfillCommandsTest.Catalog())
            .with(BackfillSettings.builder().batchSize(10).detach(true).build())
            .build()) {
      runner.migrate();
      Backfills.of(runner).pause(BackfillCommandsTest.FILL);
    }

    CliRun status =
        CliRun.of(
            DataMigrationsCli.forCatalog(new BackfillCommandsTest.Catalog()).environment(Map.of()),
            "--url",
            url,
            "status",
            "--format",
            "json");

    assertEquals(0, status.exitCode(), status::toString);
    JsonNode fill = JSON.readTree(status.out()).get("migrations").get(0);
    assertEquals("RUNNING", fill.get("state").asText());
    JsonNode backfill = fill.get("backfill");
    assertEquals(BACKFILL_FIELDS, fieldNames(backfill), backfill::toString);
    assertEquals("PAUSED", backfill.get("state").asText());
    assertEquals(250, backfill.get("estimatedTotal").asLong());
    assertTrue(backfill.get("rowsDone").asLong() <= 250, backfill::toString);
    assertEquals(
        100.0 * backfill.get("rowsDone").asLong() / 250, backfill.get("percent").asDouble(), 0.05);
    assertEquals(1, JSON.readTree(status.out()).get("summary").get("running").asInt());
  }

  @Test
  void jsonStringsEscapeQuotesBackslashesAndControlCharacters() throws Exception {
    String nasty = "a\"b\\c\nd\re\tf\u0001g\u2028h/é";

    String written = Json.string(nasty);

    assertEquals(nasty, JSON.readTree(written).asText());
    assertFalse(written.contains("\n") || written.contains("\u0001"), written);
    assertEquals("null", Json.string(null));
  }

  @Test
  void aLoneSurrogateIsEscapedSoTheUtf8OutputKeepsItAndAPairIsKeptWhole() throws Exception {
    // A description or reason cut in the middle of an emoji holds a lone surrogate, which UTF-8
    // cannot encode:
    // written raw, the output would carry '?' instead; escaped, a parser gets the exact string
    // back.
    String cut = "cut \ud83d|\ude00 end \ud83d\ude00";

    byte[] written = Json.string(cut).getBytes(java.nio.charset.StandardCharsets.UTF_8);

    assertEquals(cut, JSON.readTree(written).asText());
  }

  private static List<String> fieldNames(JsonNode node) {
    List<String> names = new ArrayList<>();
    node.fieldNames().forEachRemaining(names::add);
    return names;
  }
}
