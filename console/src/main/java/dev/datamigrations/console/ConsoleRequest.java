package dev.datamigrations.console;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * One HTTP request as the console sees it, whatever server received it.
 *
 * @param method the HTTP method, upper case
 * @param path the path below where the console is mounted, starting with {@code /} (e.g. {@code /api/overview})
 * @param mountPath where the console is mounted, without a trailing slash ({@code ""} at the root); the session
 *     cookie is scoped to it
 * @param headers the request headers; names are compared without regard to case
 * @param body the request body (empty for GET)
 */
public record ConsoleRequest(
    String method, String path, String mountPath, Map<String, List<String>> headers, byte[] body) {

  public ConsoleRequest {
    method = method.toUpperCase(Locale.ROOT);
    mountPath = mountPath == null || mountPath.equals("/") ? "" : stripTrailingSlash(mountPath);
    Map<String, List<String>> folded = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    headers.forEach((name, values) -> folded.put(name, List.copyOf(values)));
    headers = folded;
    body = body == null ? new byte[0] : body.clone();
  }

  /** Returns the first value of header {@code name}, or null. */
  public String header(String name) {
    List<String> values = headers.get(name);
    return values == null || values.isEmpty() ? null : values.get(0);
  }

  /** Returns the body decoded as UTF-8. */
  String bodyText() {
    return new String(body, StandardCharsets.UTF_8);
  }

  private static String stripTrailingSlash(String path) {
    return path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
  }
}
