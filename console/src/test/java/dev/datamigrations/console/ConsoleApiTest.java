package dev.datamigrations.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.datamigrations.runtime.MigrationRunner;
import dev.datamigrations.runtime.MigrationState;
import dev.datamigrations.runtime.MigrationStatus;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The console's JSON API and its security rules, request by request on H2 (no browser):
 * authentication, CSRF, no action through GET, read-only by default, refusals with the runner's
 * messages, the reason and operator in the history, failures recorded bounded and without secrets.
 */
class ConsoleApiTest {
  private static final String TOKEN = "test-token-0123456789abcdef";
  private static final String HISTORY = "console_api";

  private ConsoleDatabase database;
  private Console console;

  @BeforeEach
  void setUp() throws Exception {
    database = ConsoleDatabase.h2("console_api_" + System.nanoTime());
    database.reset(HISTORY, 0);
    console = console(true);
  }

  @AfterEach
  void tearDown() {
    console.close();
  }

  private Console console(boolean actions) {
    return Console.configure(database, new ConsoleCatalog(0))
        .table(HISTORY)
        .token(TOKEN)
        .actionsEnabled(actions)
        .build();
  }

  private static ConsoleRequest request(
      String method, String path, Map<String, String> headers, String body) {
    Map<String, List<String>> all = new HashMap<>();
    all.put("Host", List.of("127.0.0.1:8080"));
    headers.forEach((name, value) -> all.put(name, List.of(value)));
    return new ConsoleRequest(method, path, "", all, body.getBytes(StandardCharsets.UTF_8));
  }

  private ConsoleResponse bearer(String method, String path, String body) {
    return console.handle(request(method, path, Map.of("Authorization", "Bearer " + TOKEN), body));
  }

  private static String form(String... pairs) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < pairs.length; i += 2) {
      out.append(i == 0 ? "" : "&")
          .append(pairs[i])
          .append('=')
          .append(URLEncoder.encode(pairs[i + 1], StandardCharsets.UTF_8));
    }
    return out.toString();
  }

  /** Logs in through the form; returns the session cookie and the session's CSRF token. */
  private String[] login(String name) {
    ConsoleResponse login =
        console.handle(request("POST", "/login", Map.of(), form("name", name, "token", TOKEN)));
    assertEquals(303, login.status(), login.bodyText());
    String cookie = login.headers().get("Set-Cookie").split(";")[0];
    assertTrue(login.headers().get("Set-Cookie").contains("HttpOnly"));
    assertTrue(login.headers().get("Set-Cookie").contains("SameSite=Strict"));
    ConsoleResponse session =
        console.handle(request("GET", "/api/session", Map.of("Cookie", cookie), ""));
    Matcher csrf = Pattern.compile("\"csrfToken\":\"([^\"]+)\"").matcher(session.bodyText());
    assertTrue(csrf.find(), session.bodyText());
    return new String[] {cookie, csrf.group(1)};
  }

  @Test
  void unauthenticatedRequestsAreRefused() {
    assertEquals(401, console.handle(request("GET", "/api/overview", Map.of(), "")).status());
    assertEquals(
        401,
        console
            .handle(
                request(
                    "GET",
                    "/api/overview",
                    Map.of("Authorization", "Bearer wrong-token-0123456789"),
                    ""))
            .status());
    assertEquals(
        401,
        console
            .handle(
                request("GET", "/api/overview", Map.of("Cookie", Sessions.COOKIE + "=forged"), ""))
            .status());
    ConsoleResponse page = console.handle(request("GET", "/", Map.of(), ""));
    assertEquals(303, page.status());
    assertEquals("/login", page.headers().get("Location"));
    ConsoleResponse wrong =
        console.handle(request("POST", "/login", Map.of(), form("name", "Eve", "token", "nope")));
    assertEquals(401, wrong.status());
    assertFalse(wrong.headers().containsKey("Set-Cookie"));
    assertEquals(
        401,
        console
            .handle(
                request("POST", "/api/migrate", Map.of(), form("reason", "x", "operator", "eve")))
            .status());
  }

  @Test
  void aMalformedFormIsABadRequestNotAServerFailure() {
    ConsoleResponse login =
        console.handle(request("POST", "/login", Map.of(), "name=Eve&token=%zz"));
    assertEquals(400, login.status(), login.bodyText());
    assertTrue(login.bodyText().contains("not a valid form"), login.bodyText());
    ConsoleResponse action =
        console.handle(
            request(
                "POST",
                "/api/migrate",
                Map.of("Authorization", "Bearer " + TOKEN),
                "operator=ops&reason=%E"));
    assertEquals(400, action.status(), action.bodyText());
    assertEquals(4, pendingCount());
  }

  @Test
  void overviewListsEveryMigrationWithoutSecrets() {
    ConsoleResponse overview = bearer("GET", "/api/overview", "");
    assertEquals(200, overview.status(), overview.bodyText());
    String body = overview.bodyText();
    assertTrue(body.contains("\"pending\":4"), body);
    assertTrue(body.contains("\"className\":\"test.FillHits\""), body);
    assertFalse(body.contains("jdbc:"), body);
    assertFalse(body.contains("sa-secret-password"), body);
    assertEquals("nosniff", overview.headers().get("X-Content-Type-Options"));
    assertTrue(overview.headers().get("Content-Security-Policy").contains("script-src 'self'"));
  }

  @Test
  void actionsNeedPostAndAreOffByDefault() {
    ConsoleResponse get = bearer("GET", "/api/backfills/2/pause", "");
    assertEquals(405, get.status());
    assertEquals("POST", get.headers().get("Allow"));
    assertEquals(405, bearer("GET", "/api/migrate", "").status());
    console.close();
    console = console(false);
    ConsoleResponse refused =
        bearer("POST", "/api/migrate", form("reason", "r", "operator", "ops"));
    assertEquals(403, refused.status());
    assertTrue(refused.bodyText().contains("Actions are disabled"), refused.bodyText());
    assertEquals(4, pendingCount());
  }

  @Test
  void cookieSessionsNeedTheCsrfTokenAndTheirOwnOrigin() {
    String[] session = login("Grace");
    String body = form("reason", "JIRA-1");
    ConsoleResponse noToken =
        console.handle(request("POST", "/api/migrations/1/up", Map.of("Cookie", session[0]), body));
    assertEquals(403, noToken.status());
    assertTrue(noToken.bodyText().contains("CSRF token is missing or wrong"), noToken.bodyText());
    ConsoleResponse wrongToken =
        console.handle(
            request(
                "POST",
                "/api/migrations/1/up",
                Map.of("Cookie", session[0], "X-CSRF-Token", "guess"),
                body));
    assertEquals(403, wrongToken.status());
    ConsoleResponse otherOrigin =
        console.handle(
            request(
                "POST",
                "/api/migrations/1/up",
                Map.of(
                    "Cookie",
                    session[0],
                    "X-CSRF-Token",
                    session[1],
                    "Origin",
                    "http://evil.example"),
                body));
    assertEquals(403, otherOrigin.status());
    assertTrue(otherOrigin.bodyText().contains("another origin"), otherOrigin.bodyText());
    ConsoleResponse otherSite =
        console.handle(
            request(
                "POST",
                "/api/migrations/1/up",
                Map.of(
                    "Cookie",
                    session[0],
                    "X-CSRF-Token",
                    session[1],
                    "Sec-Fetch-Site",
                    "same-site"),
                body));
    assertEquals(403, otherSite.status());
    assertEquals(4, pendingCount(), "no refused request changed anything");

    ConsoleResponse up =
        console.handle(
            request(
                "POST",
                "/api/migrations/1/up",
                Map.of(
                    "Cookie",
                    session[0],
                    "X-CSRF-Token",
                    session[1],
                    "Origin",
                    "http://127.0.0.1:8080"),
                body));
    assertEquals(200, up.status(), up.bodyText());
    MigrationStatus applied = status(ConsoleCatalog.SEED);
    assertEquals(MigrationState.APPLIED, applied.state());
    assertEquals("JIRA-1", applied.reason());
    assertTrue(applied.appliedBy().startsWith("Grace"), applied.appliedBy());
  }

  @Test
  void behindATlsProxyThePublicHostIsTheConsolesOwnOrigin() {
    String[] session = login("Grace");
    String body = form("reason", "JIRA-9");
    // nginx's default proxy_pass sends the upstream address as Host and the public one as
    // X-Forwarded-Host.
    ConsoleResponse forged =
        console.handle(
            request(
                "POST",
                "/api/migrations/3/up",
                Map.of(
                    "Cookie",
                    session[0],
                    "X-CSRF-Token",
                    session[1],
                    "Origin",
                    "https://evil.example",
                    "X-Forwarded-Host",
                    "console.example.com"),
                body));
    assertEquals(403, forged.status(), forged.bodyText());
    ConsoleResponse proxied =
        console.handle(
            request(
                "POST",
                "/api/migrations/3/up",
                Map.of(
                    "Cookie",
                    session[0],
                    "X-CSRF-Token",
                    session[1],
                    "Origin",
                    "https://console.example.com",
                    "X-Forwarded-Host",
                    "console.example.com",
                    "X-Forwarded-Proto",
                    "https"),
                body));
    assertEquals(200, proxied.status(), proxied.bodyText());
    assertEquals(MigrationState.APPLIED, status(ConsoleCatalog.NOTE).state());
  }

  @Test
  void migrateUpAndDownNeedAReasonAndAnOperator() {
    ConsoleResponse noReason = bearer("POST", "/api/migrate", form("operator", "ops"));
    assertEquals(400, noReason.status());
    assertTrue(noReason.bodyText().contains("A reason is required"), noReason.bodyText());
    ConsoleResponse noOperator = bearer("POST", "/api/migrate", form("reason", "JIRA-2"));
    assertEquals(400, noOperator.status());
    assertTrue(noOperator.bodyText().contains("operator"), noOperator.bodyText());
    assertEquals(4, pendingCount());

    ConsoleResponse up =
        bearer("POST", "/api/migrations/3/up", form("reason", "JIRA-3", "operator", "deploy-bot"));
    assertEquals(200, up.status(), up.bodyText());
    assertEquals("JIRA-3", status(ConsoleCatalog.NOTE).reason());
    assertTrue(status(ConsoleCatalog.NOTE).appliedBy().startsWith("deploy-bot"));
    ConsoleResponse down =
        bearer("POST", "/api/migrations/3/down", form("reason", "undo", "operator", "deploy-bot"));
    assertEquals(200, down.status(), down.bodyText());
    assertEquals(MigrationState.PENDING, status(ConsoleCatalog.NOTE).state());
  }

  @Test
  void aConsoleAuthenticatedByItsHostTrustsTheHostUserAndNothingElse() {
    console.close();
    console =
        Console.configure(database, new ConsoleCatalog(0))
            .table(HISTORY)
            .authenticatedByHost()
            .actionsEnabled(true)
            .build();
    ConsoleRequest.HostUser grace =
        new ConsoleRequest.HostUser("grace", "X-XSRF-TOKEN", "host-csrf-value");

    // No host user: refused, whatever token or cookie comes along; there is no login form to fall
    // back on.
    assertEquals(401, console.handle(request("GET", "/api/overview", Map.of(), "")).status());
    assertEquals(401, bearer("GET", "/api/overview", "").status());
    assertEquals(401, console.handle(request("GET", "/", Map.of(), "")).status());
    assertEquals(
        404,
        console
            .handle(request("POST", "/login", Map.of(), form("name", "eve", "token", TOKEN)))
            .status());
    assertEquals(
        401, bearer("POST", "/api/migrate", form("reason", "r", "operator", "eve")).status());

    // The host's user reads; the page learns the host's CSRF header and token, to send them back.
    ConsoleResponse session =
        console.handle(hostRequest("GET", "/api/session", Map.of(), "", grace));
    assertEquals(200, session.status(), session.bodyText());
    assertTrue(session.bodyText().contains("\"operator\":\"grace\""), session.bodyText());
    assertTrue(session.bodyText().contains("\"authenticatedBy\":\"host\""), session.bodyText());
    assertTrue(session.bodyText().contains("\"csrfHeader\":\"X-XSRF-TOKEN\""), session.bodyText());
    assertTrue(
        session.bodyText().contains("\"csrfToken\":\"host-csrf-value\""), session.bodyText());
    assertEquals(200, console.handle(hostRequest("GET", "/", Map.of(), "", grace)).status());

    // An action from another origin is still refused; from the page, it runs with the host user as
    // operator.
    ConsoleResponse crossSite =
        console.handle(
            hostRequest(
                "POST",
                "/api/migrations/3/up",
                Map.of("Origin", "https://evil.example"),
                form("reason", "x"),
                grace));
    assertEquals(403, crossSite.status(), crossSite.bodyText());
    assertEquals(
        405,
        console.handle(hostRequest("GET", "/api/migrations/3/up", Map.of(), "", grace)).status());
    ConsoleResponse up =
        console.handle(
            hostRequest(
                "POST",
                "/api/migrations/3/up",
                Map.of("Origin", "http://127.0.0.1:8080"),
                form("reason", "JIRA-9", "operator", "eve"),
                grace));
    assertEquals(200, up.status(), up.bodyText());
    assertEquals("JIRA-9", status(ConsoleCatalog.NOTE).reason());
    assertTrue(
        status(ConsoleCatalog.NOTE).appliedBy().startsWith("grace"),
        status(ConsoleCatalog.NOTE).appliedBy());
    assertEquals(404, console.handle(hostRequest("POST", "/logout", Map.of(), "", grace)).status());
  }

  @Test
  void aConsoleTakesATokenOrItsHostsAuthenticationNotBoth() {
    IllegalArgumentException both =
        org.junit.jupiter.api.Assertions.assertThrows(
            IllegalArgumentException.class,
            () ->
                Console.configure(database, new ConsoleCatalog(0))
                    .token(TOKEN)
                    .authenticatedByHost()
                    .build());
    assertTrue(both.getMessage().contains("not both"), both.getMessage());
    org.junit.jupiter.api.Assertions.assertThrows(
        IllegalArgumentException.class,
        () -> Console.configure(database, new ConsoleCatalog(0)).build());
  }

  private static ConsoleRequest hostRequest(
      String method,
      String path,
      Map<String, String> headers,
      String body,
      ConsoleRequest.HostUser user) {
    ConsoleRequest plain = request(method, path, headers, body);
    return new ConsoleRequest(
        plain.method(), plain.path(), "", plain.headers(), plain.body(), user);
  }

  @Test
  void aSecondRunWhileOneIsUnderWayIsRefusedAtOnceNotQueuedBehindTheLock() throws Exception {
    java.util.concurrent.CountDownLatch entered = new java.util.concurrent.CountDownLatch(1);
    java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
    dev.datamigrations.runtime.MigrationCatalog slow =
        new dev.datamigrations.runtime.MigrationCatalog() {
          @Override
          public List<dev.datamigrations.runtime.MigrationDescriptor> descriptors() {
            return List.of(
                dev.datamigrations.runtime.MigrationDescriptor.migration(
                    1,
                    "Slow import",
                    "test.SlowImport",
                    dev.datamigrations.runtime.MigrationDescriptor.Transaction.TRANSACTIONAL,
                    dev.datamigrations.runtime.MigrationDescriptor.Reversibility.IRREVERSIBLE));
          }

          @Override
          public dev.datamigrations.runtime.Migration instantiate(int index) {
            return handle -> {
              entered.countDown();
              try {
                release.await();
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
              handle.execute("INSERT INTO console_marker (name) VALUES ('slow')");
            };
          }
        };
    console.close();
    console =
        Console.configure(database, slow).table(HISTORY).token(TOKEN).actionsEnabled(true).build();
    java.util.concurrent.CompletableFuture<ConsoleResponse> first =
        java.util.concurrent.CompletableFuture.supplyAsync(
            () -> bearer("POST", "/api/migrate", form("reason", "first click", "operator", "Ada")));
    try {
      assertTrue(
          entered.await(20, java.util.concurrent.TimeUnit.SECONDS), "the first migrate started");
      java.util.concurrent.CompletableFuture<ConsoleResponse> second =
          java.util.concurrent.CompletableFuture.supplyAsync(
              () ->
                  bearer(
                      "POST",
                      "/api/migrations/1/up",
                      form("reason", "second click", "operator", "Bob")));
      ConsoleResponse refused = second.get(5, java.util.concurrent.TimeUnit.SECONDS);
      assertEquals(409, refused.status(), refused.bodyText());
      assertTrue(
          refused.bodyText().contains("migrate by Ada is still running in this console"),
          refused.bodyText());
    } finally {
      release.countDown();
    }
    ConsoleResponse done = first.get(20, java.util.concurrent.TimeUnit.SECONDS);
    assertEquals(200, done.status(), done.bodyText());
    assertEquals("first click", status(1, slow).reason());
  }

  @Test
  void refusalsCarryTheRunnersMessage() {
    ConsoleResponse notStarted = bearer("POST", "/api/backfills/2/pause", form("operator", "ops"));
    assertEquals(409, notStarted.status(), notStarted.bodyText());
    assertTrue(notStarted.bodyText().startsWith("{\"error\":\"Refused: "), notStarted.bodyText());
    ConsoleResponse notApplied =
        bearer("POST", "/api/migrations/3/down", form("reason", "r", "operator", "ops"));
    assertEquals(409, notApplied.status(), notApplied.bodyText());
    assertTrue(notApplied.bodyText().contains("Refused: "), notApplied.bodyText());
    ConsoleResponse unknown =
        bearer("POST", "/api/migrations/99/up", form("reason", "r", "operator", "ops"));
    assertEquals(409, unknown.status(), unknown.bodyText());
    assertTrue(unknown.bodyText().contains("99"), unknown.bodyText());
    assertEquals(4, pendingCount());
  }

  /** A console whose backfills run batches of 2 keys and fail on their first failed attempt. */
  private Console failingBackfillConsole(ConsoleCatalog catalog) {
    return Console.configure(database, catalog)
        .table(HISTORY)
        .token(TOKEN)
        .actionsEnabled(true)
        .backfillSettings(
            dev.datamigrations.runtime.backfill.BackfillSettings.builder()
                .batchSize(2)
                .maxAttempts(1)
                .pollInterval(java.time.Duration.ofMillis(20))
                .build())
        .build();
  }

  private MigrationState stateOf(long version) {
    try (MigrationRunner runner =
        MigrationRunner.configure(database, new ConsoleCatalog(0)).table(HISTORY).build()) {
      return runner.status().stream()
          .filter(s -> s.version() == version)
          .findFirst()
          .orElseThrow()
          .state();
    }
  }

  @Test
  void aFailedBackfillIsShownWithItsErrorsWithoutSecretsAndResumedAfterTheFix() throws Exception {
    database.reset(HISTORY, 10);
    ConsoleCatalog catalog = new ConsoleCatalog(0);
    catalog.fillBroken = true;
    console.close();
    console = failingBackfillConsole(catalog);

    ConsoleResponse migrate =
        bearer("POST", "/api/migrate", form("reason", "fill", "operator", "ops"));
    assertTrue(migrate.status() == 200 || migrate.status() == 500, migrate.bodyText());
    org.awaitility.Awaitility.await()
        .atMost(java.time.Duration.ofSeconds(30))
        .until(() -> stateOf(ConsoleCatalog.FILL) == MigrationState.FAILED);

    // The overview has a group of its own for it, with its errors (no stack trace there).
    String overview = bearer("GET", "/api/overview", "").bodyText();
    assertTrue(overview.contains("\"counts\":{\"failed\":1,\"running\":0"), overview);
    assertTrue(overview.contains("\"failed\":[{\"version\":2,\"state\":\"FAILED\""), overview);
    assertTrue(overview.contains("\"running\":[]"), overview);
    assertTrue(
        overview.contains(
            "\"errors\":[{\"batch\":3,\"keys\":\"5 to 6\",\"attempt\":1,"
                + "\"errorClass\":\"java.lang.IllegalStateException\",\"message\":\"no hits for batch 3: "),
        overview);
    assertFalse(overview.contains("stackTrace\":\"java.lang.IllegalStateException"), overview);
    assertFalse(overview.contains("hunter2"), overview);
    assertFalse(overview.contains("db.internal"), overview);

    // The migration page: the same errors with their stack traces, scrubbed.
    String detail = bearer("GET", "/api/migrations/2", "").bodyText();
    assertTrue(detail.contains("\"state\":\"FAILED\""), detail);
    assertTrue(
        detail.contains("\"stackTrace\":\"java.lang.IllegalStateException: no hits"), detail);
    assertTrue(detail.contains("its last attempt (1 of 1): the backfill failed"), detail);
    assertFalse(detail.contains("hunter2"), detail);
    assertFalse(detail.contains("db.internal"), detail);

    // migrate does not go past it: a failure (batches were done), not a refusal.
    ConsoleResponse again =
        bearer("POST", "/api/migrate", form("reason", "again", "operator", "ops"));
    assertEquals(500, again.status(), again.bodyText());
    assertTrue(again.bodyText().startsWith("{\"error\":\"Failed: Backfill 2 "), again.bodyText());
    assertFalse(again.bodyText().contains("hunter2"), again.bodyText());

    // The fix, then resume (offered for FAILED), then migrate finishes it.
    catalog.fillBroken = false;
    ConsoleResponse resume = bearer("POST", "/api/backfills/2/resume", form("operator", "ops"));
    assertEquals(200, resume.status(), resume.bodyText());
    assertTrue(
        resume
            .bodyText()
            .contains("resumed after it failed (its failed batches get their attempts"),
        resume.bodyText());
    assertTrue(resume.bodyText().contains("run migrate or work 2"), resume.bodyText());
    ConsoleResponse finish =
        bearer("POST", "/api/migrate", form("reason", "after the fix", "operator", "ops"));
    assertEquals(200, finish.status(), finish.bodyText());
    org.awaitility.Awaitility.await()
        .atMost(java.time.Duration.ofSeconds(30))
        .until(() -> stateOf(ConsoleCatalog.FILL) == MigrationState.APPLIED);
    assertTrue(bearer("GET", "/api/overview", "").bodyText().contains("\"counts\":{\"failed\":0"));
  }

  @Test
  void aRefusalAfterTheRunAppliedSomethingListsWhatItApplied() throws Exception {
    database.reset(HISTORY, 10);
    ConsoleCatalog catalog = new ConsoleCatalog(0);
    catalog.fillBroken = true;
    console.close();
    console = failingBackfillConsole(catalog);
    // Backfill 2 alone (1 stays pending), failed, then cancelled.
    bearer("POST", "/api/migrations/2/up", form("reason", "fill first", "operator", "ops"));
    org.awaitility.Awaitility.await()
        .atMost(java.time.Duration.ofSeconds(30))
        .until(() -> stateOf(ConsoleCatalog.FILL) == MigrationState.FAILED);
    assertEquals(200, bearer("POST", "/api/backfills/2/cancel", form("operator", "ops")).status());

    // migrate applies 1, then refuses at the cancelled backfill: 1 stays applied, and says so.
    ConsoleResponse refused =
        bearer("POST", "/api/migrate", form("reason", "all", "operator", "ops"));
    assertEquals(409, refused.status(), refused.bodyText());
    assertTrue(refused.bodyText().startsWith("{\"error\":\"Refused: "), refused.bodyText());
    assertTrue(refused.bodyText().contains("\"completedBefore\":[1]"), refused.bodyText());
    assertTrue(
        refused.bodyText().contains("this run applied 1 data migration, which stays applied"),
        refused.bodyText());
    assertEquals(MigrationState.APPLIED, stateOf(ConsoleCatalog.SEED));

    // A refusal before anything ran lists nothing.
    ConsoleResponse nothing = bearer("POST", "/api/backfills/9/pause", form("operator", "ops"));
    assertEquals(409, nothing.status(), nothing.bodyText());
    assertFalse(nothing.bodyText().contains("completedBefore"), nothing.bodyText());
  }

  @Test
  void aFailedRunIsRecordedWithoutSecretsAndShown() throws Exception {
    ConsoleResponse failed =
        bearer("POST", "/api/migrations/4/up", form("reason", "try it", "operator", "Ada"));
    assertEquals(500, failed.status(), failed.bodyText());
    assertFalse(failed.bodyText().contains("hunter2"), failed.bodyText());
    ConsoleResponse detail = bearer("GET", "/api/migrations/4", "");
    String body = detail.bodyText();
    assertTrue(body.contains("\"errorClass\":\"java.lang.IllegalStateException\""), body);
    assertTrue(body.contains("\"operator\":\"Ada\""), body);
    assertTrue(body.contains("Caused by: java.lang.RuntimeException"), body);
    assertFalse(body.contains("hunter2"), body);
    assertFalse(body.contains("db.internal"), body);
    assertTrue(
        bearer("GET", "/api/overview", "")
            .bodyText()
            .contains("\"recentFailures\":[{\"version\":4"));
    try (Connection connection = database.getConnection();
        Statement statement = connection.createStatement();
        ResultSet rows =
            statement.executeQuery("SELECT message, stack_trace FROM " + HISTORY + "_failures")) {
      assertTrue(rows.next());
      assertFalse(rows.getString(1).contains("hunter2"));
      assertFalse(rows.getString(2).contains("hunter2"));
    }
  }

  @Test
  void theFailureTableIsBounded() throws Exception {
    FailureRecorder recorder = FailureRecorder.of(database, null, HISTORY, "ops");
    for (int i = 0; i < FailureTable.KEEP_PER_VERSION + 5; i++) {
      recorder.failed(
          new dev.datamigrations.runtime.MigrationFailedException(
              new ConsoleCatalog(0).descriptors().get(3),
              dev.datamigrations.runtime.Direction.UP,
              true,
              deep(300, "x".repeat(5000))));
    }
    try (Connection connection = database.getConnection();
        Statement statement = connection.createStatement();
        ResultSet rows =
            statement.executeQuery(
                "SELECT COUNT(*), MAX(LENGTH(stack_trace)), MAX(LENGTH(message)) FROM "
                    + HISTORY
                    + "_failures")) {
      rows.next();
      assertEquals(FailureTable.KEEP_PER_VERSION, rows.getInt(1));
      assertTrue(rows.getInt(2) <= FailureTable.TRACE_LIMIT);
      assertTrue(rows.getInt(3) <= FailureTable.MESSAGE_LIMIT);
    }
  }

  @Test
  void secretsInOtherShapesAreScrubbedFromFailures() throws Exception {
    List<String> secrets =
        List.of("s3cret-userinfo", "hunter3", "hunter4", "hunter5", "hunter6", "k3y-value");
    String message =
        "calling https://admin:s3cret-userinfo@api.example.com/v1 and postgresql://app:hunter3@db:5432/prod;"
            + " statement: CREATE USER app WITH PASSWORD 'hunter4'; config {\"password\": \"hunter5\"};"
            + " ALTER ROLE app PASSWORD \"hunter6\"; api_key=k3y-value";
    FailureRecorder.of(database, null, HISTORY, "ops")
        .failed(
            new dev.datamigrations.runtime.MigrationFailedException(
                new ConsoleCatalog(0).descriptors().get(2),
                dev.datamigrations.runtime.Direction.UP,
                true,
                new IllegalStateException("Import failed", new RuntimeException(message))));
    String detail = bearer("GET", "/api/migrations/3", "").bodyText();
    assertTrue(detail.contains("api.example.com"), detail);
    long scrubStarted = System.nanoTime();
    String longRun = Redaction.scrub("x".repeat(50_000) + " https://u:p@h");
    long scrubMillis = (System.nanoTime() - scrubStarted) / 1_000_000;
    assertTrue(longRun.endsWith("https://(hidden)@h"), longRun.substring(longRun.length() - 40));
    assertTrue(
        scrubMillis < 2_000,
        "scrubbing 50,000 characters took " + scrubMillis + " ms (quadratic?)");
    try (Connection connection = database.getConnection();
        Statement statement = connection.createStatement();
        ResultSet rows =
            statement.executeQuery("SELECT message, stack_trace FROM " + HISTORY + "_failures")) {
      assertTrue(rows.next());
      for (String secret : secrets) {
        assertFalse(detail.contains(secret), secret + " in " + detail);
        assertFalse(rows.getString(1).contains(secret), secret + " in " + rows.getString(1));
        assertFalse(rows.getString(2).contains(secret), secret + " in " + rows.getString(2));
      }
    }
  }

  private static RuntimeException deep(int depth, String message) {
    return depth == 0 ? new RuntimeException(message) : deep(depth - 1, message);
  }

  @Test
  void theServerListensOnLoopbackAndRefusesWithoutToken() throws Exception {
    try (ConsoleServer server =
        ConsoleServer.start(console, new InetSocketAddress("127.0.0.1", 0))) {
      HttpClient client = HttpClient.newHttpClient();
      HttpResponse<String> refused =
          client.send(
              HttpRequest.newBuilder(server.uri().resolve("api/overview")).build(),
              HttpResponse.BodyHandlers.ofString());
      assertEquals(401, refused.statusCode());
      HttpResponse<String> overview =
          client.send(
              HttpRequest.newBuilder(server.uri().resolve("api/overview"))
                  .header("Authorization", "Bearer " + TOKEN)
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertEquals(200, overview.statusCode(), overview.body());
      HttpResponse<String> page =
          client.send(
              HttpRequest.newBuilder(URI.create(server.uri() + "assets/console.js")).build(),
              HttpResponse.BodyHandlers.ofString());
      assertEquals(200, page.statusCode());
      assertFalse(
          Pattern.compile("\\.(innerHTML|outerHTML)\\b|insertAdjacentHTML|document\\.write")
              .matcher(page.body())
              .find(),
          "the page never writes HTML from data");
    }
  }

  private MigrationStatus status(long version) {
    return status(version, new ConsoleCatalog(0));
  }

  private MigrationStatus status(
      long version, dev.datamigrations.runtime.MigrationCatalog catalog) {
    try (MigrationRunner runner =
        MigrationRunner.configure(database, catalog).table(HISTORY).build()) {
      return runner.status().stream().filter(s -> s.version() == version).findFirst().orElseThrow();
    }
  }

  private long pendingCount() {
    try (MigrationRunner runner =
        MigrationRunner.configure(database, new ConsoleCatalog(0)).table(HISTORY).build()) {
      return runner.status().stream().filter(s -> s.state() == MigrationState.PENDING).count();
    }
  }
}
