package dev.datamigrations.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;

/**
 * {@code console}: serves the console on 127.0.0.1 with the token from the environment, until
 * interrupted.
 */
class ConsoleCommandTest {
  private static final Pattern LISTENING =
      Pattern.compile("Console at (http://\\S+/) \\(read-only");
  private final String url = "jdbc:h2:mem:console_" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";

  @Test
  void servesTheConsoleReadOnlyOnLoopbackWithTheTokenFromTheEnvironment() throws Exception {
    String token = "cli-console-token-0123456789";
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    DataMigrationsCli.Builder cli =
        DataMigrationsCli.forCatalog(new TestCatalog())
            .environment(Map.of(ConsoleCommand.TOKEN_VARIABLE, token))
            .beforeCommand(
                dataSource -> Jdbi.create(dataSource).useHandle(TestCatalog::createSchema))
            .out(new PrintStream(out, true, StandardCharsets.UTF_8));
    Thread[] serving = new Thread[1];
    CompletableFuture<Integer> exit =
        CompletableFuture.supplyAsync(
            () -> {
              serving[0] = Thread.currentThread();
              return cli.execute("console", "--url", url, "--port", "0");
            });
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    Matcher listening = LISTENING.matcher("");
    while (!listening.reset(out.toString(StandardCharsets.UTF_8)).find()) {
      assertTrue(System.nanoTime() < deadline, "no 'Console at' line in: " + out);
      assertFalse(exit.isDone(), () -> "the command ended: " + exit.join() + "\n" + out);
      Thread.onSpinWait();
    }
    URI base = URI.create(listening.group(1));
    assertEquals("127.0.0.1", base.getHost());
    assertTrue(
        out.toString(StandardCharsets.UTF_8)
            .contains("Access token: from DATAMIGRATIONS_CONSOLE_TOKEN."));
    assertFalse(
        out.toString(StandardCharsets.UTF_8).contains(token), "the chosen token is never printed");

    HttpClient client = HttpClient.newHttpClient();
    HttpResponse<String> refused =
        client.send(
            HttpRequest.newBuilder(base.resolve("api/overview")).build(),
            HttpResponse.BodyHandlers.ofString());
    assertEquals(401, refused.statusCode());
    HttpResponse<String> overview =
        client.send(
            HttpRequest.newBuilder(base.resolve("api/overview"))
                .header("Authorization", "Bearer " + token)
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertEquals(200, overview.statusCode(), overview.body());
    assertTrue(overview.body().contains("\"pending\":3"), overview.body());
    assertFalse(overview.body().contains(url), "no database URL in the API");
    HttpResponse<String> action =
        client.send(
            HttpRequest.newBuilder(base.resolve("api/migrate"))
                .header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("reason=x&operator=ci"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertEquals(403, action.statusCode(), "read-only without --enable-actions");

    serving[0].interrupt();
    assertEquals(ExitCodes.SUCCESS, exit.get(20, TimeUnit.SECONDS));
  }
}
