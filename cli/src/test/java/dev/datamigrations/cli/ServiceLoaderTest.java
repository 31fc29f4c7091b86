package dev.datamigrations.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code main}'s way in: the one catalog registered for ServiceLoader, or a clear error. */
class ServiceLoaderTest {

  @Test
  void findsTheRegisteredCatalog() {
    String url = "jdbc:h2:mem:cli_" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";
    DataMigrationsCli.Builder cli =
        DataMigrationsCli.fromServiceLoader(getClass().getClassLoader())
            .environment(Map.of("DATAMIGRATIONS_URL", url));

    CliRun run = CliRun.of(cli, "pending");

    assertEquals(0, run.exitCode(), run::toString);
    assertTrue(
        run.out().startsWith("3 data migrations pending:\n  20240101000000  Seed customers\n"),
        run::toString);
  }

  @Test
  void noCatalogIsAConfigurationErrorThatSaysWhatToAdd() {
    CliRun run =
        CliRun.of(
            DataMigrationsCli.fromServiceLoader(ClassLoader.getPlatformClassLoader())
                .environment(Map.of()),
            "status");

    assertEquals(2, run.exitCode(), run::toString);
    assertTrue(run.err().contains("No MigrationCatalog found on the class path"), run::toString);
    assertTrue(run.err().contains("datamigrations-processor"), run::toString);
    assertTrue(run.err().contains("DataMigrationsCli.forCatalog"), run::toString);
  }

  @Test
  void severalCatalogsAreAConfigurationErrorThatNamesThem(@TempDir Path dir) throws Exception {
    Path services = dir.resolve("META-INF/services/dev.datamigrations.runtime.MigrationCatalog");
    Files.createDirectories(services.getParent());
    Files.writeString(services, SecondTestCatalog.class.getName() + "\n");
    try (URLClassLoader loader =
        new URLClassLoader(new URL[] {dir.toUri().toURL()}, getClass().getClassLoader())) {
      CliRun run =
          CliRun.of(DataMigrationsCli.fromServiceLoader(loader).environment(Map.of()), "migrate");

      assertEquals(2, run.exitCode(), run::toString);
      assertTrue(
          run.err()
              .contains(
                  "Found 2 MigrationCatalogs on the class path, expected one: "
                      + SecondTestCatalog.class.getName()
                      + ", "
                      + TestCatalog.class.getName()),
          run::toString);
    }
  }
}
