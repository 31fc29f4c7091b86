package dev.datamigrations.maven;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/**
 * The documented order: -Ddatamigrations.NAME, then DATAMIGRATIONS_NAME, then the pom's
 * configuration.
 */
class ConnectionSettingsTest {

  @Test
  void aUserPropertyBeatsTheEnvironmentWhichBeatsTheConfiguredValue() {
    Properties user = new Properties();
    user.setProperty("datamigrations.url", "jdbc:h2:mem:property");
    Map<String, String> environment =
        Map.of("DATAMIGRATIONS_URL", "jdbc:h2:mem:env", "DATAMIGRATIONS_USER", "env-user");
    ConnectionSettings settings = new ConnectionSettings(user, environment);

    assertEquals("jdbc:h2:mem:property", settings.resolve("url", "jdbc:h2:mem:pom"));
    assertEquals("env-user", settings.resolve("user", "pom-user"));
    assertEquals("pom-secret", settings.resolve("password", "pom-secret"));
    assertNull(
        new ConnectionSettings(new Properties(), Map.of()).resolve("password", " "),
        "blank is none");
  }

  @Test
  void theCommandLinesEnvironmentCarriesTheResolvedValuesAndDropsTheOthers() {
    ConnectionSettings settings =
        new ConnectionSettings(
            new Properties(), Map.of("DATAMIGRATIONS_PASSWORD", "stale", "PATH", "/bin"));

    Map<String, String> environment = settings.environmentFor("jdbc:h2:mem:x", "sa", null);

    assertEquals("jdbc:h2:mem:x", environment.get("DATAMIGRATIONS_URL"));
    assertEquals("sa", environment.get("DATAMIGRATIONS_USER"));
    assertFalse(environment.containsKey("DATAMIGRATIONS_PASSWORD"));
    assertEquals("/bin", environment.get("PATH"));
  }

  @Test
  void aSettingsServerWithoutAUsernameLeavesTheConfiguredUser() {
    // A <server> holding only the password (the user is in the pom): the order goes on to the
    // configuration.
    ConnectionSettings settings = new ConnectionSettings(new Properties(), Map.of());

    assertEquals("pom-user", settings.resolve("user", null, "pom-user"));
    assertEquals("server-user", settings.resolve("user", "server-user", "pom-user"));
    assertEquals(
        "env-user",
        new ConnectionSettings(new Properties(), Map.of("DATAMIGRATIONS_USER", "env-user"))
            .resolve("user", "server-user", "pom-user"));
  }
}
