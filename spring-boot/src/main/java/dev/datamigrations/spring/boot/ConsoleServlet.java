package dev.datamigrations.spring.boot;

import dev.datamigrations.console.Console;
import dev.datamigrations.console.ConsoleRequest;
import dev.datamigrations.console.ConsoleResponse;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Serves the {@link Console} in the application's servlet container: turns each request below the
 * console's path into a {@link ConsoleRequest} and copies the {@link ConsoleResponse} back. With
 * Spring Security, the request carries the authenticated user, and a state-changing request reaches
 * the console only with Spring Security's CSRF token ({@link SpringSecurityUsers}).
 */
final class ConsoleServlet extends HttpServlet {
  private static final long serialVersionUID = 1L;

  /**
   * Request bodies larger than this are refused: actions carry a reason of at most 500 characters.
   */
  static final int MAX_BODY = 16 * 1024;

  private final transient Console console;
  private final transient SpringSecurityUsers users;

  /** Serves {@code console}; {@code users} null: the console's own token and login authenticate. */
  ConsoleServlet(Console console, SpringSecurityUsers users) {
    this.console = console;
    this.users = users;
  }

  @Override
  protected void service(HttpServletRequest request, HttpServletResponse response)
      throws IOException {
    String mountPath = request.getContextPath() + request.getServletPath();
    String path = request.getPathInfo();
    if (path == null) {
      // The page's links are relative (api/overview, assets/console.js): they need the trailing
      // slash.
      response.setStatus(303);
      response.setHeader("Location", mountPath + "/");
      return;
    }
    byte[] body;
    try (InputStream in = request.getInputStream()) {
      body = in.readNBytes(MAX_BODY + 1);
    }
    if (body.length > MAX_BODY) {
      refuse(response, 413, "Request body over " + MAX_BODY + " bytes.");
      return;
    }
    ConsoleRequest.HostUser user = null;
    if (users != null) {
      user = users.user(request);
      boolean safe = request.getMethod().equals("GET") || request.getMethod().equals("HEAD");
      if (user != null && !safe) {
        Optional<String> refusal = users.csrfRefusal(request);
        if (refusal.isPresent()) {
          refuse(response, 403, refusal.get());
          return;
        }
      }
    }
    write(
        response,
        request.getMethod(),
        console.handle(
            new ConsoleRequest(
                request.getMethod(), path, mountPath, headers(request), body, user)));
  }

  private static Map<String, List<String>> headers(HttpServletRequest request) {
    Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    for (String name : Collections.list(request.getHeaderNames())) {
      headers.put(name, Collections.list(request.getHeaders(name)));
    }
    return headers;
  }

  private static void write(HttpServletResponse response, String method, ConsoleResponse answer)
      throws IOException {
    response.setStatus(answer.status());
    answer.headers().forEach(response::setHeader);
    if (!method.equals("HEAD") && answer.body().length > 0) {
      response.setContentLength(answer.body().length);
      response.getOutputStream().write(answer.body());
    }
  }

  /**
   * Answers {@code status} with {@code {"error": message}}; the messages are fixed texts, with no
   * quote.
   */
  private static void refuse(HttpServletResponse response, int status, String message)
      throws IOException {
    byte[] body = ("{\"error\":\"" + message + "\"}").getBytes(StandardCharsets.UTF_8);
    response.setStatus(status);
    response.setHeader("Content-Type", "application/json; charset=utf-8");
    response.setHeader("X-Content-Type-Options", "nosniff");
    response.setHeader("Cache-Control", "no-store");
    response.setContentLength(body.length);
    response.getOutputStream().write(body);
  }
}
