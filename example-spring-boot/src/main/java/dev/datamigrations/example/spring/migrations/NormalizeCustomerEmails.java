package dev.datamigrations.example.spring.migrations;

import dev.datamigrations.DataMigration;
import dev.datamigrations.example.spring.EmailNormalizer;
import dev.datamigrations.runtime.Migration;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Handle;

/**
 * Applies the application's e-mail rule, a Spring bean, to the addresses typed before the rule
 * existed.
 */
@DataMigration(version = 20250110090000L, description = "Normalize customer e-mails")
public final class NormalizeCustomerEmails implements Migration {
  private final EmailNormalizer normalizer;

  @Inject
  public NormalizeCustomerEmails(EmailNormalizer normalizer) {
    this.normalizer = normalizer;
  }

  @Override
  public void up(Handle handle) {
    List<Map<String, Object>> rows =
        handle.createQuery("SELECT id, email FROM customers").mapToMap().list();
    for (Map<String, Object> row : rows) {
      handle.execute(
          "UPDATE customers SET email = ? WHERE id = ?",
          normalizer.normalize((String) row.get("email")),
          ((Number) row.get("id")).longValue());
    }
  }
}
