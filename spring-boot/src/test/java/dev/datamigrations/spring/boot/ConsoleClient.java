package dev.datamigrations.spring.boot;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A browser-like HTTP client of the console mounted in a test application: keeps cookies as a
 * browser sends them ({@code java.net.CookieManager} would quote a cookie with Max-Age as an RFC
 * 2965 one), follows no redirect, optionally logs in with HTTP Basic (for Spring Security).
 */
final class ConsoleClient {
  private final HttpClient http = HttpClient.newHttpClient();
  private final Map<String, String> cookies = new LinkedHashMap<>();
  private final String base;
  private String basic;

  /**
   * A client of {@code context}'s server, whose paths are relative to {@code
   * http://127.0.0.1:PORT}.
   */
  ConsoleClient(ConfigurableApplicationContext context) {
    this.base = "http://127.0.0.1:" + context.getEnvironment().getProperty("local.server.port");
  }

  /** Sends HTTP Basic credentials with every request from now on. */
  ConsoleClient basic(String user, String password) {
    basic =
        "Basic "
            + Base64.getEncoder()
                .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    return this;
  }

  HttpResponse<String> get(String path) throws IOException, InterruptedException {
    return send(builder(path).GET());
  }

  /**
   * Posts {@code form} ({@code name, value, ...}, URL-encoded) with the extra {@code headers}
   * ({@code name, value, ...}).
   */
  HttpResponse<String> post(String path, String[] headers, String... form)
      throws IOException, InterruptedException {
    StringBuilder body = new StringBuilder();
    for (int i = 0; i < form.length; i += 2) {
      body.append(i == 0 ? "" : "&")
          .append(form[i])
          .append('=')
          .append(URLEncoder.encode(form[i + 1], StandardCharsets.UTF_8));
    }
    HttpRequest.Builder builder =
        builder(path)
            .header("Content-Type", "application/x-www-form-urlencoded")
            .POST(HttpRequest.BodyPublishers.ofString(body.toString()));
    for (int i = 0; i < headers.length; i += 2) {
      builder.header(headers[i], headers[i + 1]);
    }
    return send(builder);
  }

  /** Returns the string value of {@code field} in a flat JSON {@code body}, or null. */
  static String field(String body, String field) {
    Matcher value = Pattern.compile("\"" + Pattern.quote(field) + "\":\"([^\"]*)\"").matcher(body);
    return value.find() ? value.group(1) : null;
  }

  private HttpRequest.Builder builder(String path) {
    HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(base + path));
    if (basic != null) {
      builder.header("Authorization", basic);
    }
    if (!cookies.isEmpty()) {
      builder.header(
          "Cookie",
          cookies.entrySet().stream()
              .map(c -> c.getKey() + "=" + c.getValue())
              .collect(Collectors.joining("; ")));
    }
    return builder;
  }

  private HttpResponse<String> send(HttpRequest.Builder request)
      throws IOException, InterruptedException {
    HttpResponse<String> response =
        http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    for (String cookie : response.headers().allValues("Set-Cookie")) {
      String pair = cookie.split(";", 2)[0];
      int equals = pair.indexOf('=');
      if (cookie.contains("Max-Age=0")) {
        cookies.remove(pair.substring(0, equals));
      } else {
        cookies.put(pair.substring(0, equals), pair.substring(equals + 1));
      }
    }
    return response;
  }
}
