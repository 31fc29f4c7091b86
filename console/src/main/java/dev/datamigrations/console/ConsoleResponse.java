package dev.datamigrations.console;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One HTTP response of the console: status, headers (security headers included) and body, for the
 * server that mounts it to send as is.
 *
 * @param status the HTTP status code
 * @param headers the response headers, {@code Content-Type} included
 * @param body the body
 */
public record ConsoleResponse(int status, Map<String, String> headers, byte[] body) {

  public ConsoleResponse {
    headers = Map.copyOf(headers);
    body = body.clone();
  }

  static ConsoleResponse of(
      int status, String contentType, byte[] body, Map<String, String> extra) {
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("Content-Type", contentType);
    // Nothing the page needs comes from elsewhere: no CDN, no inline script, no framing.
    headers.put(
        "Content-Security-Policy",
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self';"
            + " frame-ancestors 'none'; form-action 'self'; base-uri 'none'");
    headers.put("X-Content-Type-Options", "nosniff");
    headers.put("X-Frame-Options", "DENY");
    headers.put("Referrer-Policy", "no-referrer");
    headers.put("Cache-Control", "no-store");
    headers.putAll(extra);
    return new ConsoleResponse(status, headers, body);
  }

  static ConsoleResponse json(int status, String json) {
    return of(
        status, "application/json; charset=utf-8", json.getBytes(StandardCharsets.UTF_8), Map.of());
  }

  static ConsoleResponse error(int status, String message) {
    return json(status, Json.write(Map.of("error", message)));
  }

  static ConsoleResponse redirect(String location, Map<String, String> extra) {
    Map<String, String> headers = new LinkedHashMap<>(extra);
    headers.put("Location", location);
    return of(303, "text/plain; charset=utf-8", new byte[0], headers);
  }

  /** Returns the body decoded as UTF-8. */
  public String bodyText() {
    return new String(body, StandardCharsets.UTF_8);
  }
}
