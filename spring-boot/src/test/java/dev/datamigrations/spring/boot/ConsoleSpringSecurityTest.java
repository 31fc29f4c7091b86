package dev.datamigrations.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.datamigrations.runtime.MigrationState;
import dev.datamigrations.runtime.MigrationStatus;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.springframework.boot.WebApplicationType;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;

/**
 * The console inside a Boot web application secured by Spring Security (Boot's default filter
 * chain: every request authenticated, form login and HTTP Basic, CSRF on), with an in-memory user
 * and no console token: the logged-in user reads and acts as operator, and an action needs Spring
 * Security's CSRF token.
 */
class ConsoleSpringSecurityTest {
  private static final long SEED = 20250101000000L;

  /** One in-memory user, as an application declares its users. */
  @Configuration(proxyBeanMethods = false)
  static class Users {
    @Bean
    UserDetailsService users() {
      return new InMemoryUserDetailsManager(
          User.withUsername("grace").password("{noop}grace-password").roles("OPS").build());
    }
  }

  /**
   * An application's chain that leaves the console's path out of Spring Security's CSRF protection.
   */
  @Configuration(proxyBeanMethods = false)
  static class ChainIgnoringCsrfForTheConsole {
    @Bean
    SecurityFilterChain chain(HttpSecurity http) throws Exception {
      return http.authorizeHttpRequests(requests -> requests.anyRequest().authenticated())
          .httpBasic(Customizer.withDefaults())
          .csrf(csrf -> csrf.ignoringRequestMatchers("/datamigrations/**"))
          .build();
    }
  }

  /** An application's chain with Spring Security's CSRF protection turned off. */
  @Configuration(proxyBeanMethods = false)
  static class ChainWithoutCsrf {
    @Bean
    SecurityFilterChain chain(HttpSecurity http) throws Exception {
      return http.authorizeHttpRequests(requests -> requests.anyRequest().authenticated())
          .httpBasic(Customizer.withDefaults())
          .csrf(csrf -> csrf.disable())
          .build();
    }
  }

  private static ConfigurableApplicationContext start(Class<?> chain) {
    return TestApp.start(
        chain == null
            ? new Class<?>[] {Users.class, NoMigrationAtStartup.class}
            : new Class<?>[] {Users.class, NoMigrationAtStartup.class, chain},
        WebApplicationType.SERVLET,
        TestApp.newH2(),
        "spring.autoconfigure.exclude=", // the other tests exclude Spring Security; these are about
        // it
        "spring.flyway.enabled=true",
        "server.port=0",
        "datamigrations.console.enabled=true",
        "datamigrations.console.actions-enabled=true");
  }

  @Test
  void aChainThatIgnoresCsrfForTheConsoleStillNeedsTheTokenForAnAction() throws Exception {
    try (ConfigurableApplicationContext context = start(ChainIgnoringCsrfForTheConsole.class)) {
      ConsoleClient grace = new ConsoleClient(context).basic("grace", "grace-password");
      HttpResponse<String> session = grace.get("/datamigrations/api/session");
      String header = ConsoleClient.field(session.body(), "csrfHeader");
      String csrf = ConsoleClient.field(session.body(), "csrfToken");

      HttpResponse<String> noCsrf =
          grace.post("/datamigrations/api/migrate", new String[0], "reason", "forged");
      assertThat(noCsrf.statusCode()).isEqualTo(403);
      assertThat(noCsrf.body()).contains("Spring Security's CSRF token is missing or wrong");
      HttpResponse<String> wrongCsrf =
          grace.post(
              "/datamigrations/api/migrate",
              new String[] {header, "bm90LXRoZS10b2tlbg"},
              "reason",
              "forged");
      assertThat(wrongCsrf.statusCode()).isEqualTo(403);
      assertThat(ConsoleInBootTest.status(context, SEED).state()).isEqualTo(MigrationState.PENDING);

      HttpResponse<String> migrate =
          grace.post(
              "/datamigrations/api/migrate",
              new String[] {header, csrf},
              "reason",
              "JIRA-12 with the token");
      assertThat(migrate.statusCode()).as(migrate.body()).isEqualTo(200);
      assertThat(ConsoleInBootTest.status(context, SEED).appliedBy()).startsWith("grace");
    }
  }

  @Test
  void aChainWithoutCsrfProtectionLetsTheUserReadButNotAct() throws Exception {
    try (ConfigurableApplicationContext context = start(ChainWithoutCsrf.class)) {
      ConsoleClient grace = new ConsoleClient(context).basic("grace", "grace-password");
      assertThat(grace.get("/datamigrations/api/overview").statusCode()).isEqualTo(200);
      HttpResponse<String> migrate =
          grace.post(
              "/datamigrations/api/migrate",
              new String[] {"X-CSRF-TOKEN", "anything"},
              "reason",
              "r");
      assertThat(migrate.statusCode()).isEqualTo(403);
      assertThat(migrate.body()).contains("CSRF protection is off for the console's path");
      assertThat(ConsoleInBootTest.status(context, SEED).state()).isEqualTo(MigrationState.PENDING);
    }
  }

  @Test
  void theLoggedInUserReadsAndActsAsOperatorWithSpringSecuritysCsrfToken() throws Exception {
    try (ConfigurableApplicationContext context = start(null)) {
      ConsoleClient anonymous = new ConsoleClient(context);
      assertThat(anonymous.get("/datamigrations/api/overview").statusCode()).isEqualTo(401);
      assertThat(anonymous.get("/datamigrations/").statusCode()).isIn(302, 401);
      assertThat(
              new ConsoleClient(context)
                  .basic("grace", "wrong")
                  .get("/datamigrations/api/overview")
                  .statusCode())
          .isEqualTo(401);

      ConsoleClient grace = new ConsoleClient(context).basic("grace", "grace-password");
      HttpResponse<String> overview = grace.get("/datamigrations/api/overview");
      assertThat(overview.statusCode()).isEqualTo(200);
      assertThat(overview.body())
          .contains("dev.datamigrations.spring.boot.testmigrations.SeedCustomers");
      assertThat(grace.get("/datamigrations/").body()).contains("assets/console.js");
      // The console's own login is gone: Spring Security's login is the only one.
      assertThat(grace.get("/datamigrations/login").statusCode()).isEqualTo(404);

      HttpResponse<String> session = grace.get("/datamigrations/api/session");
      assertThat(session.statusCode()).isEqualTo(200);
      assertThat(ConsoleClient.field(session.body(), "operator")).isEqualTo("grace");
      assertThat(ConsoleClient.field(session.body(), "authenticatedBy")).isEqualTo("host");
      String header = ConsoleClient.field(session.body(), "csrfHeader");
      String csrf = ConsoleClient.field(session.body(), "csrfToken");
      assertThat(header).isNotBlank();
      assertThat(csrf).isNotBlank();

      // Spring Security's CsrfFilter refuses these before the console sees them. It runs before
      // HTTP Basic
      // authentication, so the error page its 403 forwards to is asked for unauthenticated and may
      // answer 401.
      HttpResponse<String> noCsrf =
          grace.post("/datamigrations/api/migrate", new String[0], "reason", "forged");
      assertThat(noCsrf.statusCode()).isIn(401, 403);
      HttpResponse<String> wrongCsrf =
          grace.post(
              "/datamigrations/api/migrate",
              new String[] {header, "not-the-token"},
              "reason",
              "forged");
      assertThat(wrongCsrf.statusCode()).isIn(401, 403);
      assertThat(grace.get("/datamigrations/api/migrate").statusCode()).isEqualTo(405);
      assertThat(ConsoleInBootTest.status(context, SEED).state()).isEqualTo(MigrationState.PENDING);

      HttpResponse<String> migrate =
          grace.post(
              "/datamigrations/api/migrate",
              new String[] {header, csrf},
              "reason",
              "JIRA-12 via SSO",
              "operator",
              "eve");
      assertThat(migrate.statusCode()).as(migrate.body()).isEqualTo(200);
      MigrationStatus seed = ConsoleInBootTest.status(context, SEED);
      assertThat(seed.state()).isEqualTo(MigrationState.APPLIED);
      assertThat(seed.appliedBy()).startsWith("grace");
      assertThat(seed.reason()).isEqualTo("JIRA-12 via SSO");
    }
  }
}
