package dev.datamigrations.example;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.datamigrations.example.migrations.MigrationRegistry;
import dev.datamigrations.runtime.MigrationDescriptor;
import dev.datamigrations.runtime.MigrationKind;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;

/**
 * Runs the example app as a user would, on a fresh H2 database, and checks what it did to the data.
 */
class ExampleAppTest {
  private final String url = "jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";
  private final Jdbi jdbi = Jdbi.create(url);

  @Test
  void demoAppliesEveryDataMigrationAfterTheSchemaThenRollsTheNewestBack() {
    Result demo = run("demo", "--url", url);

    assertEquals(0, demo.exitCode, demo.err);
    assertTrue(demo.out.contains("Applied 6 data migrations"), demo.out);
    assertTrue(
        demo.out.contains("Migrating up 20240906080000 Backfill order totals ..."), demo.out);
    assertTrue(
        demo.out.contains(
            "  backfill 20240906080000 Backfill order totals: 100.0% (200,000 of 200,000 rows"),
        demo.out);
    assertTrue(demo.out.contains("20240915120000  PENDING  Seed subscription plans"), demo.out);
    assertTrue(demo.out.contains("5 applied, 1 pending, 0 removed from code"), demo.out);

    assertEquals(
        List.of("+12025550143", "+16175550100", "+31205550199", "+442079460018", "+442079460958"),
        jdbi.withHandle(
            h ->
                h.createQuery("SELECT phone FROM customers ORDER BY phone")
                    .mapTo(String.class)
                    .list()));
    assertEquals(
        "Ada Lovelace",
        jdbi.withHandle(
            h ->
                h.createQuery("SELECT full_name FROM customers WHERE id = 1")
                    .mapTo(String.class)
                    .one()));
    assertEquals(0, count("SELECT COUNT(*) FROM customers WHERE email LIKE '%@example.test'"));
    assertEquals(0, count("SELECT COUNT(*) FROM plans"), "the rollback reverted the seed");
    assertEquals(200_000, count("SELECT COUNT(*) FROM orders"));
    assertEquals(
        0,
        count("SELECT COUNT(*) FROM orders WHERE total_cents IS NULL"),
        "the backfill filled every row");
    assertEquals(
        (1 + 1234 % 7) * (250 + 1234 % 1000),
        count("SELECT total_cents FROM orders WHERE id = 1234"));
    assertEquals(5, count("SELECT COUNT(*) FROM data_migrations"));
  }

  @Test
  void migrateAgainReappliesOnlyWhatWasRolledBack() {
    assertEquals(0, run("demo", "--url", url).exitCode);

    Result again = run("--url", url, "migrate");

    assertEquals(0, again.exitCode, again.err);
    assertTrue(again.out.contains("Applied 1 data migration"), again.out);
    assertTrue(again.out.contains("(5 already applied)"), again.out);
    assertEquals(3, count("SELECT COUNT(*) FROM plans"));
  }

  @Test
  void theIrreversibleCleanUpIsRefusedBeforeAnythingChanges() {
    assertEquals(0, run("--url", url, "migrate").exitCode);

    Result down = run("--url", url, "down", "20240910170000");

    assertEquals(2, down.exitCode, down.out);
    assertTrue(down.err.contains("20240910170000"), down.err);
    assertEquals(6, count("SELECT COUNT(*) FROM data_migrations"));
  }

  @Test
  void daggerBuildsTheInjectedMigrationThroughTheGeneratedRegistry() {
    MigrationRegistry registry = ExampleComponent.create().migrations();

    List<MigrationDescriptor> descriptors = registry.descriptors();

    assertEquals(
        List.of(
            20240831020834L,
            20240901093000L,
            20240905080000L,
            20240906080000L,
            20240910170000L,
            20240915120000L),
        descriptors.stream().map(MigrationDescriptor::version).toList());
    assertEquals("Fill customer full name", descriptors.get(1).description());
    assertEquals(MigrationKind.BACKFILL, descriptors.get(3).kind());
    assertEquals(
        Map.of(
            true,
            List.of(20240901093000L, 20240905080000L, 20240906080000L, 20240915120000L),
            false,
            List.of(20240831020834L, 20240910170000L)),
        Map.of(
            true,
                descriptors.stream()
                    .filter(MigrationDescriptor::reversible)
                    .map(MigrationDescriptor::version)
                    .toList(),
            false,
                descriptors.stream()
                    .filter(d -> !d.reversible())
                    .map(MigrationDescriptor::version)
                    .toList()));
    assertEquals(
        "dev.datamigrations.example.migrations.NormalizePhoneNumbers",
        registry.instantiate(0).getClass().getName());
  }

  @Test
  void phoneNumbersAreFormattedAsE164() {
    PhoneNumberFormatter formatter = new PhoneNumberFormatter(Map.of("GB", "44", "US", "1"));

    assertEquals("+442079460958", formatter.toE164("(020) 7946 0958", "GB"));
    assertEquals("+12025550143", formatter.toE164("202-555-0143", "US"));
    assertEquals("+442079460018", formatter.toE164("+44 20 7946 0018", "FR"));
    assertEquals("555 0000", formatter.toE164("555 0000", "DE"), "unknown country: left alone");
    assertEquals("n/a", formatter.toE164("n/a", "US"), "no digits: left alone");
  }

  private int count(String sql) {
    return jdbi.withHandle(h -> h.createQuery(sql).mapTo(Integer.class).one());
  }

  private static Result run(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int exitCode =
        ExampleApp.run(
            args,
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
    return new Result(
        exitCode, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  private record Result(int exitCode, String out, String err) {}
}
