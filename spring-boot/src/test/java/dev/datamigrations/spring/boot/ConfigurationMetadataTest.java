package dev.datamigrations.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.json.JsonParserFactory;
import org.springframework.core.io.ClassPathResource;

/**
 * Every {@code datamigrations.*} property has IDE metadata with a description, and no other file is
 * needed.
 */
class ConfigurationMetadataTest {

  @Test
  void everyPropertyIsDescribed() throws IOException {
    String json;
    try (InputStream in =
        new ClassPathResource("META-INF/spring-configuration-metadata.json").getInputStream()) {
      json = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> properties =
        (List<Map<String, Object>>)
            JsonParserFactory.getJsonParser().parseMap(json).get("properties");
    List<Map<String, Object>> ours =
        properties.stream()
            .filter(p -> p.get("name").toString().startsWith("datamigrations."))
            .toList();
    assertThat(ours)
        .extracting(p -> p.get("name"))
        .containsExactlyInAnyOrder(
            "datamigrations.enabled",
            "datamigrations.mode",
            "datamigrations.table",
            "datamigrations.schema",
            "datamigrations.lock-timeout",
            "datamigrations.out-of-order",
            "datamigrations.validate-on-migrate",
            "datamigrations.reason",
            "datamigrations.operator",
            "datamigrations.batch-size",
            "datamigrations.target-batch-duration",
            "datamigrations.batch-pause",
            "datamigrations.workers",
            "datamigrations.health-check",
            "datamigrations.postgres-health.max-transaction-age",
            "datamigrations.postgres-health.max-replication-lag",
            "datamigrations.postgres-health.autovacuum-on-table",
            "datamigrations.postgres-health.max-wal-rate",
            "datamigrations.detach-backfills",
            "datamigrations.backfill.csv",
            "datamigrations.backfill.busy-pause",
            "datamigrations.backfill.durable-batch-commits",
            "datamigrations.actuator.write-operations",
            "datamigrations.console.enabled",
            "datamigrations.console.path",
            "datamigrations.console.actions-enabled",
            "datamigrations.console.token");
    assertThat(ours)
        .allSatisfy(
            p ->
                assertThat((String) p.get("description"))
                    .as(p.get("name").toString())
                    .isNotBlank());
  }
}
