package dev.datamigrations.maven;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;

/**
 * Real Maven builds of the sample project {@code src/it/greetings} with {@code mvn
 * datamigrations:...}: the build's outcome and message, and the database it changed.
 */
class MavenPluginIT {
  private static final long CREATE = 20240101000000L;
  private static final long SHOUT = 20240102000000L;
  private static final long FAIL = 20240103000000L;

  @Test
  void migrateCompilesAndAppliesTheProjectsMigrationsThenStatusJsonAndDownWork() {
    SampleBuild sample = SampleBuild.copy("greetings");
    String url = sample.h2Url("pom");

    SampleBuild.Result migrate =
        sample.mvn("datamigrations:migrate", "-Ddatamigrations.reason=IT-1");

    assertTrue(migrate.succeeded(), migrate::toString);
    assertTrue(
        migrate.log().contains("Migrating up 20240102000000 Shout greetings ... done in"),
        migrate::toString);
    assertTrue(migrate.log().contains("Applied 3 data migrations in"), migrate::toString);
    assertFalse(migrate.log().contains("SLF4J"), migrate::toString);
    assertEquals(List.of("BONJOUR", "HALLO", "HELLO"), texts(url));
    assertEquals(List.of(CREATE, SHOUT, FAIL), versions(url));
    assertEquals(
        "IT-1",
        Jdbi.create(url)
            .withHandle(
                h ->
                    h.createQuery("SELECT reason FROM data_migrations WHERE version = " + SHOUT)
                        .mapTo(String.class)
                        .one()));

    SampleBuild.Result status = sample.mvn("datamigrations:status", "-Dformat=json");

    assertTrue(status.succeeded(), status::toString);
    assertTrue(status.log().contains("\"formatVersion\": 1"), status::toString);
    assertTrue(
        status.log().contains("\"class\": \"com.acme.migrations.ShoutGreetings\""),
        status::toString);

    SampleBuild.Result down = sample.mvn("datamigrations:down", "-Dversion=" + SHOUT);
    SampleBuild.Result downAgain = sample.mvn("datamigrations:down", "-Dversion=" + SHOUT);

    assertTrue(down.succeeded(), down::toString);
    assertTrue(down.log().contains("Reverted 20240102000000 in"), down::toString);
    assertEquals(List.of("bonjour", "hallo", "hello"), texts(url));
    assertEquals(List.of(CREATE, FAIL), versions(url));
    assertFalse(downAgain.succeeded(), downAgain::toString);
    assertTrue(
        downAgain
            .log()
            .contains(
                "datamigrations:down failed with exit code 2 (usage or configuration error, nothing changed: "),
        downAgain::toString);
  }

  @Test
  void aFailedMigrationFailsTheBuildWithTheCommandLinesMessageAndExitCode() {
    SampleBuild sample = SampleBuild.copy("greetings");
    String url = sample.h2Url("pom");

    SampleBuild.Result failed = sample.mvn("datamigrations:migrate", "-Dsample.fail=true");

    assertFalse(failed.succeeded(), failed::toString);
    assertTrue(failed.log().contains("BUILD FAILURE"), failed::toString);
    assertTrue(
        // Exit code 6, not 1: the same run applied the two migrations before it (PartlyAppliedTest
        // in the cli).
        failed.log().contains("datamigrations:migrate failed with exit code 6 (partly applied: "),
        failed::toString);
    assertTrue(failed.log().contains("20240103000000"), failed::toString);
    assertTrue(failed.log().contains("failing on purpose (-Dsample.fail)"), failed::toString);
    assertEquals(List.of(CREATE, SHOUT), versions(url), "the failed migration has no history row");
    assertEquals(List.of("BONJOUR", "HALLO", "HELLO"), texts(url), "its update was rolled back");
  }

  @Test
  void newWritesABackfillIntoTheRegistrysPackageAndPendingCheckFailsTheBuildUntilItIsApplied()
      throws IOException {
    SampleBuild sample = SampleBuild.copy("greetings");

    SampleBuild.Result created =
        sample.mvn("datamigrations:new", "-Dname=BackfillEmails", "-Dbackfill");

    assertTrue(created.succeeded(), created::toString);
    Path written =
        sample.directory().resolve("src/main/java/com/acme/migrations/BackfillEmails.java");
    assertTrue(Files.exists(written), created::toString);
    String source = Files.readString(written);
    assertTrue(source.startsWith("package com.acme.migrations;"), source);
    assertTrue(source.contains("public final class BackfillEmails implements Backfill {"), source);

    SampleBuild.Result pending = sample.mvn("datamigrations:pending", "-Dcheck");

    assertFalse(pending.succeeded(), pending::toString);
    assertTrue(pending.log().contains("4 data migrations pending:"), pending::toString);
    assertTrue(pending.log().contains("Backfill emails"), pending::toString);
    assertTrue(
        pending
            .log()
            .contains(
                "datamigrations:pending failed with exit code 4 (pending --check found pending migrations)"),
        pending::toString);
  }

  @Test
  void aUserPropertyBeatsTheEnvironmentWhichBeatsTheConfigurationAndACatalogClassCanBeNamed() {
    SampleBuild sample = SampleBuild.copy("greetings");
    String fromEnvironment = sample.h2Url("environment");
    String fromProperty = sample.h2Url("property");

    SampleBuild.Result byEnvironment =
        sample.mvn(Map.of("DATAMIGRATIONS_URL", fromEnvironment), "datamigrations:migrate");
    SampleBuild.Result byProperty =
        sample.mvn(
            Map.of("DATAMIGRATIONS_URL", fromEnvironment),
            "datamigrations:up",
            "-Dversion=" + CREATE,
            "-Ddatamigrations.url=" + fromProperty,
            // A configured catalog, as for a registry Dagger builds, instead of the ServiceLoader
            // entry.
            "-Ddatamigrations.catalog=com.acme.migrations.RegistrySupplier");

    assertTrue(byEnvironment.succeeded(), byEnvironment::toString);
    assertTrue(byProperty.succeeded(), byProperty::toString);
    assertEquals(List.of(CREATE, SHOUT, FAIL), versions(fromEnvironment));
    assertEquals(List.of(CREATE), versions(fromProperty));
    assertTrue(
        byProperty.log().contains("Catalog from com.acme.migrations.RegistrySupplier"),
        byProperty::toString);
    assertFalse(byEnvironment.log().contains("RegistrySupplier"), byEnvironment::toString);
    assertFalse(
        Files.exists(sample.directory().resolve("target/db/pom.mv.db")),
        "the pom's URL lost to both");
  }

  @Test
  void theLiveTrafficBackfillSettingsReachTheCommandLine() {
    SampleBuild sample = SampleBuild.copy("greetings");

    SampleBuild.Result negative =
        sample.mvn("datamigrations:migrate", "-Ddatamigrations.busyPause=-1");
    SampleBuild.Result zero =
        sample.mvn("datamigrations:migrate", "-Ddatamigrations.postgresMaxWalRate=0");

    assertFalse(negative.succeeded(), negative::toString);
    assertTrue(
        negative
            .log()
            .contains(
                "datamigrations:migrate failed with exit code 2 (usage or configuration error,"),
        negative::toString);
    assertTrue(
        negative.log().contains("Invalid value for option '--busy-pause': '-1'"),
        negative::toString);
    assertFalse(zero.succeeded(), zero::toString);
    assertTrue(
        zero.log().contains("Invalid value for option '--postgres-max-wal-rate': '0'"),
        zero::toString);
    assertFalse(
        Files.exists(sample.directory().resolve("target/db/pom.mv.db")),
        "a usage error touches no database");

    // Valid values, each one understood by the command line (an option it did not know would fail).
    SampleBuild.Result valid =
        sample.mvn(
            "datamigrations:migrate",
            "-Ddatamigrations.busyPause=0.5",
            "-Ddatamigrations.durableBatchCommits",
            "-Ddatamigrations.postgresAutovacuumOnTable",
            "-Ddatamigrations.postgresMaxWalRate=64MB");

    assertTrue(valid.succeeded(), valid::toString);
    assertEquals(List.of(CREATE, SHOUT, FAIL), versions(sample.h2Url("pom")));
  }

  @Test
  void credentialsFromASettingsServerAreNeverPrintedNotEvenWithDebugOutput() {
    String password = "Pw-" + UUID.randomUUID();
    SampleBuild sample = SampleBuild.copy("greetings").withServer("sample-db", "sa", password);

    SampleBuild.Result debug =
        sample.mvn("-X", "datamigrations:migrate", "-Ddatamigrations.serverId=sample-db");

    assertTrue(debug.succeeded(), debug::toString);
    assertTrue(debug.log().contains("[DEBUG]"), "ran with -X");
    assertEquals(
        List.of(CREATE, SHOUT, FAIL),
        versions(sample.h2Url("pom"), "sa", password),
        "the server's user");
    assertEquals(List.of(), debug.log().lines().filter(line -> line.contains(password)).toList());

    SampleBuild.Result unknown =
        sample.mvn("datamigrations:status", "-Ddatamigrations.serverId=no-such-server");

    assertFalse(unknown.succeeded(), unknown::toString);
    assertTrue(
        unknown.log().contains("serverId no-such-server names no <server> in settings.xml"),
        unknown::toString);
  }

  @Test
  void migrateOnPostgres() throws SQLException {
    String database = System.getenv().getOrDefault("DATAMIGRATIONS_TEST_PG_DB", "test");
    String server = "jdbc:postgresql://127.0.0.1:5432/" + database;
    assumeReachable(server);
    String schema = "it_plugin_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    Jdbi admin = Jdbi.create(server, "postgres", "");
    admin.useHandle(h -> h.execute("CREATE SCHEMA " + schema));
    try {
      String url = server + "?currentSchema=" + schema;
      SampleBuild sample = SampleBuild.copy("greetings");

      SampleBuild.Result migrate =
          sample.mvn(
              Map.of("DATAMIGRATIONS_URL", url, "DATAMIGRATIONS_USER", "postgres"),
              "datamigrations:migrate");

      assertTrue(migrate.succeeded(), migrate::toString);
      assertEquals(List.of(CREATE, SHOUT, FAIL), versions(url, "postgres", ""));
      assertEquals(
          List.of("BONJOUR", "HALLO", "HELLO"),
          Jdbi.create(url, "postgres", "")
              .withHandle(
                  h ->
                      h.createQuery("SELECT text FROM greetings ORDER BY text")
                          .mapTo(String.class)
                          .list()));
    } finally {
      admin.useHandle(h -> h.execute("DROP SCHEMA " + schema + " CASCADE"));
    }
  }

  private static void assumeReachable(String url) {
    boolean required =
        Boolean.getBoolean("datamigrations.requireDatabases")
            || "true".equalsIgnoreCase(System.getenv("CI"));
    try (Connection ignored = DriverManager.getConnection(url, "postgres", "")) {
      // reachable
    } catch (SQLException e) {
      if (required) {
        fail("PostgreSQL is required (CI=true) but " + url + " is unreachable: " + e.getMessage());
      }
      assumeTrue(false, "PostgreSQL unreachable at " + url + ", skipped: " + e.getMessage());
    }
  }

  private static List<Long> versions(String url) {
    return versions(Jdbi.create(url));
  }

  private static List<Long> versions(String url, String user, String password) {
    return versions(Jdbi.create(url, user, password));
  }

  private static List<Long> versions(Jdbi jdbi) {
    return jdbi.withHandle(
        h ->
            h.createQuery("SELECT version FROM data_migrations ORDER BY version")
                .mapTo(Long.class)
                .list());
  }

  private static List<String> texts(String url) {
    return Jdbi.create(url)
        .withHandle(
            h ->
                h.createQuery("SELECT text FROM greetings ORDER BY text")
                    .mapTo(String.class)
                    .list());
  }
}
