package dev.datamigrations.maven;

import java.util.HashMap;
import java.util.Map;
import java.util.Properties;

/**
 * Resolves the database settings in the documented order: a {@code -Ddatamigrations.url=...} user
 * property first, then the {@code DATAMIGRATIONS_URL} environment variable, then the plugin's
 * {@code <configuration>}. The command line gets them as its environment, so that the password is
 * never an argument.
 */
final class ConnectionSettings {
  static final String URL = "url";
  static final String USER = "user";
  static final String PASSWORD = "password";

  private final Properties userProperties;
  private final Map<String, String> environment;

  ConnectionSettings(Properties userProperties, Map<String, String> environment) {
    this.userProperties = userProperties;
    this.environment = environment;
  }

  /**
   * Returns {@code name}'s value: user property, environment variable, then the first of {@code
   * configured} (in order: a {@code settings.xml} server's, the pom's) that is set; null if none.
   */
  String resolve(String name, String... configured) {
    String[] candidates = new String[configured.length + 2];
    candidates[0] = userProperties.getProperty("datamigrations." + name);
    candidates[1] = environment.get(variable(name));
    System.arraycopy(configured, 0, candidates, 2, configured.length);
    return firstNonBlank(candidates);
  }

  /**
   * Returns the environment to hand to the command line: this one, with the resolved settings in
   * it.
   */
  Map<String, String> environmentFor(String url, String user, String password) {
    Map<String, String> result = new HashMap<>(environment);
    putOrRemove(result, variable(URL), url);
    putOrRemove(result, variable(USER), user);
    putOrRemove(result, variable(PASSWORD), password);
    return result;
  }

  static String variable(String name) {
    return "DATAMIGRATIONS_" + name.toUpperCase(java.util.Locale.ROOT);
  }

  private static void putOrRemove(Map<String, String> map, String key, String value) {
    if (value == null) {
      map.remove(key);
    } else {
      map.put(key, value);
    }
  }

  private static String firstNonBlank(String... candidates) {
    for (String candidate : candidates) {
      if (candidate != null && !candidate.isBlank()) {
        return candidate;
      }
    }
    return null;
  }
}
