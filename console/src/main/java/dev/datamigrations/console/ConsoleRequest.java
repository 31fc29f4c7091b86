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
 * @param path the path below where the console is mounted, starting with {@code /} (e.g. {@code
 *     /api/overview})
 * @param mountPath where the console is mounted, without a trailing slash ({@code ""} at the root);
 *     the session cookie is scoped to it
 * @param headers the request headers; names are compared without regard to case
 * @param body the request body (empty for GET)
 * @param hostUser the person the mounting server authenticated (Spring Security, for one), or null:
 *     the console then asks for its own token or session
 */
public record ConsoleRequest(
    String method,
    String path,
    String mountPath,
    Map<String, List<String>> headers,
    byte[] body,
    HostUser hostUser) {

  /**
   * A person authenticated by the server that mounts the console, trusted as is: their name becomes
   * the operator of every action, and the console's own token and login are not asked for. The
   * server vouches that it checked every state-changing request it passes with a host user against
   * cross-site forgery (its own CSRF token); the console gives that token to its page, which sends
   * it back in {@code csrfHeader}.
   *
   * @param name the authenticated name, recorded as operator
   * @param csrfHeader the header in which the server expects its CSRF token, or null if it has none
   *     (the server then refuses every state-changing request)
   * @param csrfToken the CSRF token for the page to send, or null
   */
  public record HostUser(String name, String csrfHeader, String csrfToken) {
    /** Refuses a user without a name. */
    public HostUser {
      if (name == null || name.isBlank()) {
        throw new IllegalArgumentException(
            "A host user needs a name: it is recorded as the operator");
      }
    }
  }

  /** Returns a request the console authenticates itself (token or session), with no host user. */
  public ConsoleRequest(
      String method,
      String path,
      String mountPath,
      Map<String, List<String>> headers,
      byte[] body) {
    this(method, path, mountPath, headers, body, null);
  }

  /** Folds the header names, copies the body and drops a trailing slash of the mount path. */
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
