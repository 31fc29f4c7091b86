package dev.datamigrations.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.springframework.boot.WebApplicationType;
import org.springframework.context.ConfigurableApplicationContext;

/** The endpoint and the metrics over HTTP, in a web application on a random port. */
class ActuatorHttpTest {
  private final HttpClient http = HttpClient.newHttpClient();

  @Test
  void endpointAndMetricsAnswerOverHttpAndWritesAreOffByDefault() throws Exception {
    try (ConfigurableApplicationContext context =
        TestApp.start(
            WebApplicationType.SERVLET,
            TestApp.newH2(),
            "spring.flyway.enabled=true",
            "server.port=0",
            "management.endpoints.web.exposure.include=datamigrations,metrics,health")) {
      String base =
          "http://127.0.0.1:"
              + context.getEnvironment().getProperty("local.server.port")
              + "/actuator";

      HttpResponse<String> migrations = get(base + "/datamigrations");
      assertThat(migrations.statusCode()).isEqualTo(200);
      assertThat(migrations.body())
          .contains("\"version\":20250101000000")
          .contains("\"state\":\"APPLIED\"")
          .contains("dev.datamigrations.spring.boot.testmigrations.CapitalizeCustomerNames");

      HttpResponse<String> applied = get(base + "/metrics/datamigrations.migrations.applied");
      assertThat(applied.statusCode()).isEqualTo(200);
      assertThat(applied.body()).contains("\"value\":2.0");

      HttpResponse<String> pause =
          http.send(
              HttpRequest.newBuilder(URI.create(base + "/datamigrations/20250101000000/pause"))
                  .POST(HttpRequest.BodyPublishers.noBody())
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(pause.statusCode()).isIn(404, 405);
    }
  }

  @Test
  void writeOperationsAnswerOverHttpWhenEnabledAndRefusalsAreBadRequests() throws Exception {
    try (ConfigurableApplicationContext context =
        TestApp.start(
            WebApplicationType.SERVLET,
            TestApp.newH2(),
            "spring.flyway.enabled=true",
            "server.port=0",
            "datamigrations.actuator.write-operations=true",
            "management.endpoints.web.exposure.include=datamigrations")) {
      String base =
          "http://127.0.0.1:"
              + context.getEnvironment().getProperty("local.server.port")
              + "/actuator";
      // A plain migration is not a backfill: the runner refuses, and the client is told why.
      HttpResponse<String> notABackfill = post(base + "/datamigrations/20250101000000/pause");
      assertThat(notABackfill.statusCode()).isEqualTo(400);
      HttpResponse<String> unknownAction = post(base + "/datamigrations/20250101000000/restart");
      assertThat(unknownAction.statusCode()).isEqualTo(400);
    }
  }

  private HttpResponse<String> post(String url) throws IOException, InterruptedException {
    return http.send(
        HttpRequest.newBuilder(URI.create(url)).POST(HttpRequest.BodyPublishers.noBody()).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> get(String url) throws IOException, InterruptedException {
    return http.send(
        HttpRequest.newBuilder(URI.create(url)).GET().build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
