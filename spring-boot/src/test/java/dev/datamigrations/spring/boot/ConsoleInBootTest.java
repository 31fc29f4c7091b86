package dev.datamigrations.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.datamigrations.console.Console;
import dev.datamigrations.runtime.MigrationRunner;
import dev.datamigrations.runtime.MigrationState;
import dev.datamigrations.runtime.MigrationStatus;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.springframework.boot.WebApplicationType;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The console inside a Boot web application on H2, without Spring Security: off unless enabled,
 * then at its path behind the console's own token, read-only unless actions are enabled, and an
 * action with the session's CSRF token recorded with the operator and reason.
 */
class ConsoleInBootTest {
  private static final String TOKEN = "boot-console-token-0123456789";
  private static final long SEED = 20250101000000L;

  @Test
  void theConsoleIsOffByDefault() throws Exception {
    try (ConfigurableApplicationContext context =
        TestApp.start(
            WebApplicationType.SERVLET,
            TestApp.newH2(),
            "spring.flyway.enabled=true",
            "server.port=0")) {
      assertThat(context.getBeansOfType(Console.class)).isEmpty();
      assertThat(new ConsoleClient(context).get("/datamigrations/api/overview").statusCode())
          .isEqualTo(404);
    }
  }

  @Test
  void enabledWithoutATokenStartUpFailsNamingTheProperty() {
    assertThatThrownBy(
            () ->
                TestApp.start(
                    WebApplicationType.SERVLET,
                    TestApp.newH2(),
                    "spring.flyway.enabled=true",
                    "server.port=0",
                    "datamigrations.console.enabled=true"))
        .hasStackTraceContaining("datamigrations.console.token");
  }

  @Test
  void aPathThatIsNotAPathFailsStartUpNamingTheProperty() {
    assertThatThrownBy(
            () ->
                TestApp.start(
                    WebApplicationType.SERVLET,
                    TestApp.newH2(),
                    "spring.flyway.enabled=true",
                    "server.port=0",
                    "datamigrations.console.enabled=true",
                    "datamigrations.console.token=" + TOKEN,
                    "datamigrations.console.path=ops/"))
        .hasStackTraceContaining(
            "datamigrations.console.path must be a path such as /datamigrations");
  }

  @Test
  void enabledItServesTheConfiguredPathBehindTheTokenAndOnlyReads() throws Exception {
    try (ConfigurableApplicationContext context =
        TestApp.start(
            WebApplicationType.SERVLET,
            TestApp.newH2(),
            "spring.flyway.enabled=true",
            "server.port=0",
            "datamigrations.console.enabled=true",
            "datamigrations.console.path=/ops/migrations",
            "datamigrations.console.token=" + TOKEN)) {
      ConsoleClient client = new ConsoleClient(context);
      assertThat(client.get("/datamigrations/api/overview").statusCode()).isEqualTo(404);
      assertThat(client.get("/ops/migrations/api/overview").statusCode()).isEqualTo(401);
      HttpResponse<String> page = client.get("/ops/migrations/");
      assertThat(page.statusCode()).isEqualTo(303);
      assertThat(page.headers().firstValue("Location")).hasValue("/ops/migrations/login");
      assertThat(client.get("/ops/migrations").headers().firstValue("Location"))
          .hasValue("/ops/migrations/");

      login(client, "/ops/migrations", "ada");
      HttpResponse<String> overview = client.get("/ops/migrations/api/overview");
      assertThat(overview.statusCode()).isEqualTo(200);
      assertThat(overview.body())
          .contains("dev.datamigrations.spring.boot.testmigrations.SeedCustomers")
          .contains("\"actionsEnabled\":false")
          .doesNotContain("jdbc:h2");
      assertThat(client.get("/ops/migrations/").body()).contains("assets/console.js");

      String csrf =
          ConsoleClient.field(client.get("/ops/migrations/api/session").body(), "csrfToken");
      HttpResponse<String> refused =
          client.post(
              "/ops/migrations/api/migrations/" + SEED + "/down",
              new String[] {"X-CSRF-Token", csrf},
              "reason",
              "no");
      assertThat(refused.statusCode()).isEqualTo(403);
      assertThat(refused.body())
          .contains("Actions are disabled")
          .contains("datamigrations.console.actions-enabled");
      assertThat(status(context, SEED).state()).isEqualTo(MigrationState.APPLIED);
    }
  }

  @Test
  void anActionNeedsTheCsrfTokenAndRecordsOperatorAndReason() throws Exception {
    try (ConfigurableApplicationContext context =
        TestApp.start(
            new Class<?>[] {NoMigrationAtStartup.class},
            WebApplicationType.SERVLET,
            TestApp.newH2(),
            "spring.flyway.enabled=true",
            "server.port=0",
            "datamigrations.console.enabled=true",
            "datamigrations.console.actions-enabled=true",
            "datamigrations.console.token=" + TOKEN)) {
      ConsoleClient client = new ConsoleClient(context);
      login(client, "/datamigrations", "ada");
      assertThat(status(context, SEED).state()).isEqualTo(MigrationState.PENDING);

      HttpResponse<String> forged =
          client.post("/datamigrations/api/migrate", new String[0], "reason", "forged");
      assertThat(forged.statusCode()).isEqualTo(403);
      assertThat(forged.body()).contains("CSRF token is missing or wrong");
      assertThat(client.get("/datamigrations/api/migrate").statusCode()).isEqualTo(405);
      assertThat(status(context, SEED).state()).isEqualTo(MigrationState.PENDING);

      String csrf =
          ConsoleClient.field(client.get("/datamigrations/api/session").body(), "csrfToken");
      HttpResponse<String> migrate =
          client.post(
              "/datamigrations/api/migrate",
              new String[] {"X-CSRF-Token", csrf},
              "reason",
              "JIRA-12 in Boot");
      assertThat(migrate.statusCode()).as(migrate.body()).isEqualTo(200);
      MigrationStatus seed = status(context, SEED);
      assertThat(seed.state()).isEqualTo(MigrationState.APPLIED);
      assertThat(seed.appliedBy()).startsWith("ada");
      assertThat(seed.reason()).isEqualTo("JIRA-12 in Boot");
      assertThat(H2.customers(context.getBean(javax.sql.DataSource.class)))
          .containsExactly("ADA", "LINUS");
    }
  }

  /** Logs in through the console's form as {@code name}; the client keeps the session cookie. */
  static void login(ConsoleClient client, String mount, String name) throws Exception {
    HttpResponse<String> login =
        client.post(mount + "/login", new String[0], "name", name, "token", TOKEN);
    assertThat(login.statusCode()).as(login.body()).isEqualTo(303);
    assertThat(login.headers().firstValue("Set-Cookie").orElseThrow()).contains("Path=" + mount);
  }

  static MigrationStatus status(ConfigurableApplicationContext context, long version) {
    return context.getBean(MigrationRunner.class).status().stream()
        .filter(s -> s.version() == version)
        .findFirst()
        .orElseThrow();
  }
}
