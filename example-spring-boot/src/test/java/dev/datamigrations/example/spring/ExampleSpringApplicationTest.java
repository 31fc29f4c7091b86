package dev.datamigrations.example.spring;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;

/**
 * The example on H2 as a user starts it: JPA saw the migrated data while the context started, and
 * the actuator shows the migrations, their metrics and their health over HTTP.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class ExampleSpringApplicationTest {
  private final HttpClient http = HttpClient.newHttpClient();

  @Autowired CustomerDirectory directory;

  @Value("${local.server.port}")
  int port;

  @Test
  void jpaReadsMigratedDataAtStartup() {
    assertThat(directory.customers())
        .extracting(Customer::getEmail)
        .containsExactly(
            "ada@example.com",
            "grace@example.com",
            "alan@example.com",
            "edsger@example.com",
            "barbara@example.com");
    assertThat(directory.customers())
        .extracting(Customer::getFullName)
        .contains("Ada Lovelace", "Barbara Liskov");
  }

  @Test
  void actuatorShowsMigrationsMetricsAndHealth() throws Exception {
    String migrations = get("/actuator/datamigrations");
    assertThat(migrations)
        .contains("\"version\":20250110090000")
        .contains(
            "\"className\":\"dev.datamigrations.example.spring.migrations.BackfillCustomerFullNames\"")
        .contains("\"reason\":\"deployed by the example\"")
        .contains("\"rowsDone\":5");
    assertThat(get("/actuator/metrics/datamigrations.migrations.applied"))
        .contains("\"value\":2.0");
    assertThat(get("/actuator/metrics/datamigrations.backfill.rows")).contains("\"value\":5.0");
    assertThat(get("/actuator/health"))
        .contains("\"dataMigrations\":{")
        .contains("\"status\":\"UP\"");
  }

  private String get(String path) throws Exception {
    HttpResponse<String> response =
        http.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).GET().build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as(path).isEqualTo(200);
    return response.body();
  }
}
