package dev.datamigrations.console;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Routes a request: the login form, the page and its two assets, the read API ({@code GET}) and the
 * actions ({@code POST} only). Every route but the login form and the assets needs the access
 * token, a session, or a user the host authenticated ({@link ConsoleRequest.HostUser}, whose CSRF
 * token the host checks); every {@code POST} made with the session cookie must carry the session's
 * CSRF token; a {@code POST} that says it comes from another origin is refused; actions are refused
 * unless enabled.
 */
final class ConsoleHandler {
  private static final System.Logger LOG = System.getLogger(ConsoleHandler.class.getName());
  private static final Pattern MIGRATION = Pattern.compile("/api/migrations/(\\d{1,18})");
  private static final Pattern VERSION_ACTION =
      Pattern.compile("/api/migrations/(\\d{1,18})/(up|down)");
  private static final Pattern BACKFILL_ACTION =
      Pattern.compile("/api/backfills/(\\d{1,18})/(pause|resume|cancel)");
  private static final int MAX_REASON = 500;
  private static final int MAX_NAME = 100;

  /**
   * The token and its sessions; null when only the host authenticates ({@link
   * ConsoleRequest.HostUser}).
   */
  private final Sessions sessions;

  private final Views views;
  private final Actions actions;
  private final boolean actionsEnabled;

  ConsoleHandler(Sessions sessions, Views views, Actions actions, boolean actionsEnabled) {
    this.sessions = sessions;
    this.views = views;
    this.actions = actions;
    this.actionsEnabled = actionsEnabled;
  }

  /**
   * Who made a request: the operator's name (null for the bearer token), the session (null unless a
   * cookie session), or the user the host authenticated (null unless given by the host).
   */
  private record Caller(String operator, Sessions.Session session, ConsoleRequest.HostUser host) {}

  ConsoleResponse handle(ConsoleRequest request) {
    try {
      return route(request);
    } catch (Forms.MalformedFormException e) {
      return ConsoleResponse.error(400, e.getMessage());
    } catch (SQLException | RuntimeException e) {
      LOG.log(
          System.Logger.Level.WARNING,
          "Console request " + request.method() + " " + request.path() + " failed",
          e);
      return ConsoleResponse.error(
          500,
          "The console could not answer: "
              + e.getClass().getName()
              + ": "
              + Redaction.scrub(e.getMessage()));
    }
  }

  private ConsoleResponse route(ConsoleRequest request) throws SQLException {
    String path = request.path();
    String method = request.method();
    if (path.equals("/assets/console.js") || path.equals("/assets/console.css")) {
      return get(request, () -> asset(path.substring("/assets/".length())));
    }
    if (path.equals("/login")) {
      if (sessions == null) {
        return ConsoleResponse.error(
            404, "No login here: this console uses the application's own login.");
      }
      return method.equals("POST") ? login(request) : get(request, () -> loginPage(200, ""));
    }
    Optional<Caller> caller = caller(request);
    if (path.equals("/") || path.equals("/index.html")) {
      if (caller.isEmpty()) {
        return sessions == null
            ? ConsoleResponse.error(401, "Not logged in: log in to the application first.")
            : ConsoleResponse.redirect(request.mountPath() + "/login", Map.of());
      }
      return get(request, () -> asset("index.html"));
    }
    if (!path.startsWith("/api/") && !path.equals("/logout")) {
      return ConsoleResponse.error(404, "No such page: " + path);
    }
    if (caller.isEmpty()) {
      return ConsoleResponse.error(
          401,
          "Not logged in: log in at the console's page, or send Authorization: Bearer <token>.");
    }
    if (method.equals("POST")) {
      Optional<String> forged = forgery(request, caller.get());
      if (forged.isPresent()) {
        return ConsoleResponse.error(403, forged.get());
      }
      return post(request, caller.get());
    }
    if (!method.equals("GET") && !method.equals("HEAD")) {
      return methodNotAllowed("GET, POST");
    }
    return read(request, caller.get());
  }

  private ConsoleResponse read(ConsoleRequest request, Caller caller) throws SQLException {
    String path = request.path();
    if (path.equals("/api/session")) {
      Map<String, Object> session = new LinkedHashMap<>();
      session.put("operator", caller.operator());
      if (caller.host() != null) {
        session.put("authenticatedBy", "host");
        session.put("csrfHeader", caller.host().csrfHeader());
        session.put("csrfToken", caller.host().csrfToken());
      } else {
        session.put("authenticatedBy", caller.session() == null ? "token" : "session");
        session.put("csrfHeader", "X-CSRF-Token");
        session.put("csrfToken", caller.session() == null ? null : caller.session().csrfToken());
      }
      session.put("actionsEnabled", actionsEnabled);
      return ConsoleResponse.json(200, Json.write(session));
    }
    if (path.equals("/api/overview")) {
      Map<String, Object> overview = views.overview();
      overview.put("actionsEnabled", actionsEnabled);
      return ConsoleResponse.json(200, Json.write(overview));
    }
    Matcher migration = MIGRATION.matcher(path);
    if (migration.matches()) {
      long version = Long.parseLong(migration.group(1));
      return views
          .migration(version)
          .map(view -> ConsoleResponse.json(200, Json.write(view)))
          .orElseGet(
              () ->
                  ConsoleResponse.error(
                      404, "No data migration " + version + " in the code or the history table."));
    }
    if (path.equals("/api/migrate")
        || VERSION_ACTION.matcher(path).matches()
        || BACKFILL_ACTION.matcher(path).matches()
        || path.equals("/logout")) {
      return methodNotAllowed("POST");
    }
    return ConsoleResponse.error(404, "No such API: " + path);
  }

  private ConsoleResponse post(ConsoleRequest request, Caller caller) {
    String path = request.path();
    if (path.equals("/logout")) {
      if (caller.host() != null) {
        return ConsoleResponse.error(404, "No logout here: log out of the application itself.");
      }
      sessions.close(Sessions.cookie(request));
      return ConsoleResponse.redirect(
          request.mountPath() + "/login", Map.of("Set-Cookie", cookie(request, "", 0)));
    }
    Matcher version = VERSION_ACTION.matcher(path);
    Matcher backfill = BACKFILL_ACTION.matcher(path);
    boolean known = path.equals("/api/migrate") || version.matches() || backfill.matches();
    if (!known) {
      return ConsoleResponse.error(404, "No such action: " + path);
    }
    if (!actionsEnabled) {
      return ConsoleResponse.error(
          403,
          "Actions are disabled: this console only reads. Start it with actions enabled (--enable-actions,"
              + " datamigrations.console.actions-enabled=true in Spring Boot, or Console.Builder.actionsEnabled(true)).");
    }
    Map<String, String> form = Forms.parse(request.bodyText());
    String operator = caller.operator();
    if (operator == null) {
      operator = trimmed(form.get("operator"));
      if (operator == null || operator.length() > MAX_NAME) {
        return ConsoleResponse.error(
            400,
            "Who is acting? Send the field operator (1 to "
                + MAX_NAME
                + " characters) with the token.");
      }
    }
    Actions.Outcome outcome;
    if (backfill.matches()) {
      long v = Long.parseLong(backfill.group(1));
      outcome =
          switch (backfill.group(2)) {
            case "pause" -> actions.pause(v, operator);
            case "resume" -> actions.resume(v, operator);
            default -> actions.cancel(v, operator);
          };
    } else {
      String reason = trimmed(form.get("reason"));
      if (reason == null || reason.length() > MAX_REASON) {
        return ConsoleResponse.error(
            400,
            "A reason is required (1 to "
                + MAX_REASON
                + " characters): it goes into the history with your name.");
      }
      if (version.matches()) {
        long v = Long.parseLong(version.group(1));
        outcome =
            version.group(2).equals("up")
                ? actions.up(v, operator, reason)
                : actions.down(v, operator, reason);
      } else {
        outcome = actions.migrate(operator, reason);
      }
    }
    Map<String, Object> body = new LinkedHashMap<>();
    body.put(outcome.status() == 200 ? "message" : "error", outcome.message());
    if (!outcome.completedBefore().isEmpty()) {
      body.put("completedBefore", outcome.completedBefore());
    }
    return ConsoleResponse.json(outcome.status(), Json.write(body));
  }

  /**
   * Returns why a {@code POST} is refused as a possible cross-site forgery: made with the session
   * cookie but without the session's CSRF token, or from another origin. A request with the bearer
   * token carries no ambient credential a browser would add by itself, so it needs no CSRF token;
   * for a host user, the host checked its own CSRF token before passing the request on.
   */
  private static Optional<String> forgery(ConsoleRequest request, Caller caller) {
    String origin = request.header("Origin");
    String host = request.header("Host");
    // Behind a proxy, Host may be the upstream address and X-Forwarded-Host the public one; a page
    // on another
    // site cannot set either, so both count as the console's own host.
    String forwardedHost = request.header("X-Forwarded-Host");
    if (origin != null
        && host != null
        && !origin.equals("null")
        && !hostOf(origin).equalsIgnoreCase(host)
        && (forwardedHost == null
            || !hostOf(origin).equalsIgnoreCase(forwardedHost.split(",")[0].trim()))) {
      return Optional.of(
          "Refused: this request comes from another origin (" + origin + "). Nothing was changed.");
    }
    if (origin != null && origin.equals("null")) {
      return Optional.of("Refused: this request comes from an opaque origin. Nothing was changed.");
    }
    String site = request.header("Sec-Fetch-Site");
    if (site != null && !site.equals("same-origin") && !site.equals("none")) {
      return Optional.of(
          "Refused: this request comes from another site (" + site + "). Nothing was changed.");
    }
    if (caller.session() != null && !request.path().equals("/logout")) {
      String csrf = request.header("X-CSRF-Token");
      if (csrf == null
          || !java.security.MessageDigest.isEqual(
              csrf.getBytes(StandardCharsets.UTF_8),
              caller.session().csrfToken().getBytes(StandardCharsets.UTF_8))) {
        return Optional.of(
            "Refused: the CSRF token is missing or wrong (a form on another site cannot send it). Nothing was"
                + " changed.");
      }
    }
    return Optional.empty();
  }

  private static String hostOf(String origin) {
    int scheme = origin.indexOf("://");
    return scheme < 0 ? origin : origin.substring(scheme + 3);
  }

  private Optional<Caller> caller(ConsoleRequest request) {
    if (request.hostUser() != null) {
      return Optional.of(new Caller(request.hostUser().name(), null, request.hostUser()));
    }
    if (sessions == null) {
      return Optional.empty();
    }
    String authorization = request.header("Authorization");
    if (authorization != null && authorization.startsWith("Bearer ")) {
      return sessions.tokenMatches(authorization.substring("Bearer ".length()).trim())
          ? Optional.of(new Caller(null, null, null))
          : Optional.empty();
    }
    return sessions
        .find(Sessions.cookie(request))
        .map(session -> new Caller(session.operator(), session, null));
  }

  private ConsoleResponse login(ConsoleRequest request) {
    Map<String, String> form = Forms.parse(request.bodyText());
    String name = trimmed(form.get("name"));
    if (!sessions.tokenMatches(form.get("token"))) {
      return loginPage(401, "Wrong access token.");
    }
    if (name == null || name.length() > MAX_NAME) {
      return loginPage(
          400,
          "Give your name (1 to " + MAX_NAME + " characters): it is recorded with every action.");
    }
    String session = sessions.open(name);
    return ConsoleResponse.redirect(
        request.mountPath() + "/",
        Map.of("Set-Cookie", cookie(request, session, Sessions.LIFETIME.toSeconds())));
  }

  private static String cookie(ConsoleRequest request, String value, long maxAgeSeconds) {
    String path = request.mountPath().isEmpty() ? "/" : request.mountPath();
    String secure = "https".equalsIgnoreCase(request.header("X-Forwarded-Proto")) ? "; Secure" : "";
    return Sessions.COOKIE
        + "="
        + value
        + "; Path="
        + path
        + "; Max-Age="
        + maxAgeSeconds
        + "; HttpOnly; SameSite=Strict"
        + secure;
  }

  private static ConsoleResponse loginPage(int status, String message) {
    String page = new String(read("login.html"), StandardCharsets.UTF_8);
    return ConsoleResponse.of(
        status,
        "text/html; charset=utf-8",
        page.replace("<!--MESSAGE-->", Html.escape(message)).getBytes(StandardCharsets.UTF_8),
        Map.of());
  }

  private static ConsoleResponse asset(String name) {
    String type =
        name.endsWith(".js")
            ? "text/javascript; charset=utf-8"
            : name.endsWith(".css") ? "text/css; charset=utf-8" : "text/html; charset=utf-8";
    return ConsoleResponse.of(200, type, read(name), Map.of());
  }

  private static ConsoleResponse get(
      ConsoleRequest request, java.util.function.Supplier<ConsoleResponse> page) {
    return request.method().equals("GET") || request.method().equals("HEAD")
        ? page.get()
        : methodNotAllowed("GET");
  }

  private static ConsoleResponse methodNotAllowed(String allowed) {
    ConsoleResponse refusal =
        ConsoleResponse.error(405, "Method not allowed here; use " + allowed + ".");
    Map<String, String> headers = new LinkedHashMap<>(refusal.headers());
    headers.put("Allow", allowed);
    return new ConsoleResponse(405, headers, refusal.body());
  }

  private static byte[] read(String name) {
    try (InputStream in = ConsoleHandler.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException("Missing console resource " + name + " in the jar");
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String trimmed(String value) {
    return value == null || value.isBlank() ? null : value.trim();
  }
}
