package dev.datamigrations.console;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * Parses {@code application/x-www-form-urlencoded} bodies, the format of the login form and of
 * every action.
 */
final class Forms {
  private Forms() {}

  /** A body that is not a valid form: a client's mistake, answered with 400. */
  static final class MalformedFormException extends RuntimeException {
    MalformedFormException(IllegalArgumentException cause) {
      super(
          "The request body is not a valid form (application/x-www-form-urlencoded): "
              + cause.getMessage()
              + ". Nothing was changed.",
          cause);
    }
  }

  /**
   * Returns the fields of {@code body}, the first value of each name.
   *
   * @throws MalformedFormException if a {@code %} escape is not valid
   */
  static Map<String, String> parse(String body) {
    Map<String, String> fields = new HashMap<>();
    if (body == null || body.isEmpty()) {
      return fields;
    }
    for (String pair : body.split("&")) {
      int equals = pair.indexOf('=');
      String name = equals < 0 ? pair : pair.substring(0, equals);
      String value = equals < 0 ? "" : pair.substring(equals + 1);
      try {
        fields.putIfAbsent(
            URLDecoder.decode(name, StandardCharsets.UTF_8),
            URLDecoder.decode(value, StandardCharsets.UTF_8));
      } catch (IllegalArgumentException e) {
        throw new MalformedFormException(e);
      }
    }
    return fields;
  }
}
