package dev.datamigrations.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import dev.datamigrations.runtime.Migration;
import dev.datamigrations.runtime.MigrationCatalog;
import dev.datamigrations.runtime.MigrationDescriptor;
import dev.datamigrations.runtime.MigrationRunner;
import dev.datamigrations.runtime.MigrationState;
import dev.datamigrations.runtime.MigrationStatus;
import dev.datamigrations.runtime.backfill.BackfillProgress;
import dev.datamigrations.runtime.backfill.BackfillSettings;
import dev.datamigrations.runtime.backfill.BackfillState;
import dev.datamigrations.runtime.backfill.Backfills;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The console in a real headless Chromium, on PostgreSQL with a backfill worked by two threads of
 * an application runner: log in, watch the bar advance, pause (every worker stops), resume, cancel;
 * run a pending migration with a reason holding {@code <script>} and see it, as text, in the
 * history; see a failure and its refusals; and check that an unauthenticated request and a forged
 * cross-site POST are refused. Writes the README's screenshots to {@code docs/}.
 */
class ConsoleBrowserTest {
  private static final String TOKEN = "browser-token-0123456789abcdef";
  private static final String HISTORY = "console_browser";
  private static final Duration WAIT = Duration.ofSeconds(20);
  private static final Path DOCS = Path.of("..", "docs");

  private ConsoleDatabase database;
  private MigrationRunner application;
  private Console console;
  private ConsoleServer server;
  private ChromeDriver browser;
  private HttpServer attacker;

  @BeforeEach
  void setUp() throws Exception {
    long started = System.nanoTime();
    database = ConsoleDatabase.postgres();
    database.reset(HISTORY, 40_000);
    long databaseReady = System.nanoTime();
    browser = Chromium.start();
    System.out.printf(
        "ConsoleBrowserTest: database %d ms, Chromium %d ms%n",
        (databaseReady - started) / 1_000_000, (System.nanoTime() - databaseReady) / 1_000_000);
    // The application: applies 1, starts the backfill and leaves it to two worker threads in the
    // background.
    application =
        MigrationRunner.configure(database, new ConsoleCatalog(40))
            .table(HISTORY)
            .with(
                BackfillSettings.builder()
                    .batchSize(25)
                    .workers(2)
                    .pollInterval(Duration.ofMillis(100))
                    .detach(true)
                    .build())
            .operator("deploy")
            .reason("release 42")
            .build();
    application.up(ConsoleCatalog.SEED);
    console =
        Console.configure(database, new ConsoleCatalog(40))
            .table(HISTORY)
            .token(TOKEN)
            .actionsEnabled(true)
            .build();
    server = ConsoleServer.start(console, new InetSocketAddress("127.0.0.1", 0));
    System.out.printf(
        "ConsoleBrowserTest set-up: %d ms%n", (System.nanoTime() - started) / 1_000_000);
  }

  @AfterEach
  void tearDown() {
    if (browser != null) {
      browser.quit();
    }
    if (attacker != null) {
      attacker.stop(0);
    }
    if (server != null) {
      server.close();
    }
    if (console != null) {
      console.close();
    }
    if (application != null) {
      application.close();
    }
  }

  @Test
  void watchAndSteerABackfillInTheBrowser() throws Exception {
    long started = System.nanoTime();
    String base = server.uri().toString();

    // Unauthenticated: the API refuses, the page sends to the login form.
    HttpResponse<String> anonymous =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(server.uri().resolve("api/overview")).build(),
                HttpResponse.BodyHandlers.ofString());
    assertEquals(401, anonymous.statusCode());
    browser.get(base + "api/overview");
    assertTrue(browser.getPageSource().contains("Not logged in"), browser.getPageSource());
    browser.get(base);
    waitFor(() -> browser.getCurrentUrl().endsWith("/login"));

    browser.findElement(By.id("name")).sendKeys("Ada");
    browser.findElement(By.id("token")).sendKeys(TOKEN);
    browser.findElement(By.id("login")).click();
    waitFor(() -> browser.findElements(By.cssSelector("[data-count=pending] dd")).size() == 1);

    // The application starts the backfill; the page shows it and its bar advances.
    application.migrate();
    WebElement panel = waitForElement(By.id("backfill-2"));
    long first = waitForRows(panel, rows -> rows > 0);
    waitForRows(panel, rows -> rows > first);
    waitFor(() -> text(panel, "[data-fact=workers-active]").equals("2"));
    String percent =
        browser.findElement(By.cssSelector("#backfill-2 .bar")).getAttribute("aria-valuenow");
    assertTrue(Double.parseDouble(percent) > 0, percent);
    screenshot("console-overview.png", browser.getScreenshotAs(OutputType.BYTES));
    screenshot("console-backfill.png", panel.getScreenshotAs(OutputType.BYTES));

    // Pause, by keyboard only: Enter on the button, the dialog focuses Confirm, Enter again. Every
    // worker stops;
    // rows stay where they are while the page refreshes.
    panel.findElement(By.cssSelector("button[data-action=pause]")).sendKeys(Keys.ENTER);
    WebElement dialog = browser.findElement(By.id("confirm"));
    waitFor(dialog::isDisplayed);
    assertEquals(browser.findElement(By.id("confirm-ok")), browser.switchTo().activeElement());
    browser.switchTo().activeElement().sendKeys(Keys.ENTER);
    waitFor(() -> !dialog.isDisplayed());
    waitFor(() -> "paused".equals(panel.getAttribute("data-state")));
    assertEquals(BackfillState.PAUSED, progress().state());
    waitFor(() -> text(panel, "[data-fact=workers-active]").equals("0"));
    waitFor(
        () -> {
          List<WebElement> workers = panel.findElements(By.cssSelector(".workers li"));
          // Both worker threads were seen, and both stopped.
          return workers.size() == 2
              && workers.stream().allMatch(w -> "false".equals(w.getAttribute("data-active")));
        });
    long paused = progress().rowsDone();
    int refreshes = refreshCount();
    waitFor(() -> refreshCount() >= refreshes + 3);
    assertEquals(paused, progress().rowsDone(), "no batch committed while paused");
    assertEquals(paused, rowsShown(panel));

    // Resume: the rows advance again.
    act(panel, "resume", null);
    waitFor(() -> "running".equals(panel.getAttribute("data-state")));
    waitForRows(panel, rows -> rows > paused);

    // Cancel: the workers exit, and the state allows resume only.
    act(panel, "cancel", null);
    waitFor(() -> "cancelled".equals(panel.getAttribute("data-state")));
    assertEquals(BackfillState.CANCELLED, progress().state());
    assertTrue(panel.findElements(By.cssSelector("button[data-action=pause]")).isEmpty());
    assertTrue(
        Backfills.of(application).awaitDetached(WAIT), "the cancelled backfill's workers exited");

    // A refusal: migrate cannot pass a cancelled backfill; the runner's message is shown.
    browser.findElement(By.id("migrate")).click();
    confirm("go on");
    waitFor(() -> browser.findElement(By.id("message")).getText().startsWith("Refused: "));
    assertTrue(
        browser
            .findElement(By.id("message"))
            .getText()
            .contains("Backfill 2 (Fill hits, test.FillHits) was cancelled"),
        browser.findElement(By.id("message")).getText());

    // Run a pending migration with a reason that holds a script: applied, shown as text, never run.
    String reason = "<script>window.injected = 1</script> JIRA-7 <b>bold</b>";
    browser
        .findElement(By.cssSelector("#pending button[data-action=up][data-version='3']"))
        .click();
    confirm(reason);
    waitFor(() -> !browser.findElements(By.cssSelector("#applied tr[data-version='3']")).isEmpty());
    By row = By.cssSelector("#applied tr[data-version='3']");
    waitFor(
        () ->
            reason.equals(browser.findElement(row).findElement(By.className("reason")).getText()));
    waitFor(() -> browser.findElement(row).getText().contains("Ada"));
    assertNull(((JavascriptExecutor) browser).executeScript("return window.injected;"));
    assertTrue(browser.findElements(By.cssSelector("#applied script, #applied b")).isEmpty());
    MigrationStatus note = status(ConsoleCatalog.NOTE);
    assertEquals(MigrationState.APPLIED, note.state());
    assertEquals(reason, note.reason());
    assertTrue(note.appliedBy().startsWith("Ada"), note.appliedBy());

    // A failing migration: its failure is recorded and shown on its page, without the secret in its
    // message.
    browser
        .findElement(By.cssSelector("#pending button[data-action=up][data-version='4']"))
        .click();
    confirm("try the import");
    waitFor(() -> browser.findElement(By.id("message")).getText().startsWith("Failed: "));
    browser.get(base + "#/migrations/4");
    waitFor(
        () -> browser.findElement(By.id("detail-title")).getText().startsWith("4 Broken import"));
    waitFor(() -> !browser.findElements(By.cssSelector("#detail-failures li")).isEmpty());
    WebElement failure = browser.findElement(By.cssSelector("#detail-failures li"));
    assertTrue(failure.getText().contains("java.lang.IllegalStateException"), failure.getText());
    assertTrue(failure.getText().contains("by Ada"), failure.getText());
    failure.findElement(By.tagName("summary")).click();
    assertTrue(
        failure
            .findElement(By.className("trace"))
            .getText()
            .contains("Caused by: java.lang.RuntimeException"));
    assertFalse(browser.getPageSource().contains("hunter2"));
    assertFalse(browser.getPageSource().contains(database.url()));

    // The skip link moves the keyboard focus to the content and keeps the page: "#main" is not a
    // route.
    ((JavascriptExecutor) browser).executeScript("document.querySelector('a.skip').focus()");
    browser.switchTo().activeElement().sendKeys(Keys.ENTER);
    waitFor(() -> "main".equals(browser.switchTo().activeElement().getAttribute("id")));
    assertTrue(browser.getCurrentUrl().endsWith("#/migrations/4"), browser.getCurrentUrl());
    assertTrue(browser.findElement(By.id("detail")).isDisplayed(), "still on the migration's page");

    // A forged cross-site POST: a page on another origin submits a form to the console with the
    // session cookie.
    attacker = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    String forged =
        "<!DOCTYPE html><html><body><form id=f method=post action='"
            + base
            + "api/backfills/2/resume'><input name=reason value=forged></form>"
            + "<script>document.getElementById('f').submit()</script></body></html>";
    attacker.createContext(
        "/",
        exchange -> {
          byte[] body = forged.getBytes(StandardCharsets.UTF_8);
          exchange.getResponseHeaders().set("Content-Type", "text/html");
          exchange.sendResponseHeaders(200, body.length);
          try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
          }
        });
    attacker.start();
    browser.get("http://127.0.0.1:" + attacker.getAddress().getPort() + "/");
    waitFor(() -> browser.getPageSource().contains("Refused: "));
    assertEquals(BackfillState.CANCELLED, progress().state(), "the forged request changed nothing");
    System.out.printf(
        "ConsoleBrowserTest: %d ms in the browser%n", (System.nanoTime() - started) / 1_000_000);
  }

  @Test
  void anEmptyCatalogShowsHowToWriteTheFirstMigration() throws Exception {
    ConsoleDatabase empty = ConsoleDatabase.h2("console_empty_" + System.nanoTime());
    MigrationCatalog none =
        new MigrationCatalog() {
          @Override
          public List<MigrationDescriptor> descriptors() {
            return List.of();
          }

          @Override
          public Migration instantiate(int index) {
            throw new IndexOutOfBoundsException(index);
          }
        };
    try (Console emptyConsole = Console.configure(empty, none).token(TOKEN).build();
        ConsoleServer emptyServer =
            ConsoleServer.start(emptyConsole, new InetSocketAddress("127.0.0.1", 0))) {
      browser.get(emptyServer.uri() + "login");
      browser.findElement(By.id("name")).sendKeys("Ada");
      browser.findElement(By.id("token")).sendKeys(TOKEN, Keys.ENTER);
      WebElement hint = waitForElement(By.id("empty"));
      waitFor(hint::isDisplayed);
      assertTrue(hint.getText().contains("datamigrations new "), hint.getText());
      assertTrue(
          browser.findElement(By.id("read-only")).isDisplayed(),
          "read-only by default, and says so");
      assertTrue(
          browser.findElements(By.id("migrate")).stream().noneMatch(WebElement::isDisplayed));
    }
  }

  private void act(WebElement panel, String action, String reason) {
    panel.findElement(By.cssSelector("button[data-action=" + action + "]")).click();
    confirm(reason);
  }

  /** Answers the confirmation dialog: types the reason if one is asked for, then confirms. */
  private void confirm(String reason) {
    WebElement dialog = browser.findElement(By.id("confirm"));
    waitFor(dialog::isDisplayed);
    if (reason != null) {
      WebElement field = browser.findElement(By.id("reason"));
      assertEquals(field, browser.switchTo().activeElement(), "the reason field has the focus");
      field.sendKeys(reason);
    }
    browser.findElement(By.id("confirm-ok")).click();
    waitFor(() -> !dialog.isDisplayed());
  }

  private long waitForRows(WebElement panel, java.util.function.LongPredicate condition) {
    long[] seen = new long[1];
    waitFor(
        () -> {
          seen[0] = rowsShown(panel);
          return condition.test(seen[0]);
        });
    return seen[0];
  }

  private static long rowsShown(WebElement panel) {
    String rows = panel.getAttribute("data-rows-done");
    return rows == null ? -1 : Long.parseLong(rows);
  }

  private int refreshCount() {
    String count = browser.findElement(By.id("refreshed")).getAttribute("data-count");
    return count == null ? 0 : Integer.parseInt(count);
  }

  private static String text(WebElement scope, String css) {
    List<WebElement> found = scope.findElements(By.cssSelector(css));
    return found.isEmpty() ? "" : found.get(0).getText();
  }

  private WebElement waitForElement(By by) {
    waitFor(() -> !browser.findElements(by).isEmpty());
    return browser.findElement(by);
  }

  private void waitFor(java.util.function.BooleanSupplier condition) {
    // The page replaces a panel's facts on every refresh, so an element found a moment ago may be
    // gone: look again.
    new WebDriverWait(browser, WAIT)
        .ignoring(StaleElementReferenceException.class)
        .until(driver -> condition.getAsBoolean());
  }

  private BackfillProgress progress() {
    return Backfills.of(application).progress(ConsoleCatalog.FILL).orElseThrow();
  }

  private MigrationStatus status(long version) {
    return application.status().stream()
        .filter(s -> s.version() == version)
        .findFirst()
        .orElseThrow();
  }

  private static void screenshot(String name, byte[] png) throws Exception {
    Files.createDirectories(DOCS);
    Path temp = Files.createTempFile(DOCS, name, ".tmp");
    Files.write(temp, png);
    Files.move(temp, DOCS.resolve(name), StandardCopyOption.REPLACE_EXISTING);
  }
}
