package dev.datamigrations.example.migrations;

import dev.datamigrations.DataMigration;
import dev.datamigrations.example.PhoneNumberFormatter;
import dev.datamigrations.runtime.Migration;
import jakarta.inject.Inject;
import java.util.List;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.PreparedBatch;

/**
 * Rewrites hand-typed phone numbers in E.164 form. It needs an application service, so Dagger
 * builds it (through the generated registry's {@code @Inject} constructor). Irreversible: the
 * original typing is gone.
 */
@DataMigration(version = 20240831020834L, description = "Normalize phone numbers to E.164")
public final class NormalizePhoneNumbers implements Migration {
  private final PhoneNumberFormatter formatter;

  @Inject
  public NormalizePhoneNumbers(PhoneNumberFormatter formatter) {
    this.formatter = formatter;
  }

  @Override
  public void up(Handle handle) {
    List<Customer> customers =
        handle
            .createQuery("SELECT id, phone, country_code FROM customers WHERE phone IS NOT NULL")
            .map((rs, ctx) -> new Customer(rs.getLong(1), rs.getString(2), rs.getString(3)))
            .list();
    PreparedBatch batch = handle.prepareBatch("UPDATE customers SET phone = :phone WHERE id = :id");
    for (Customer customer : customers) {
      String formatted = formatter.toE164(customer.phone(), customer.countryCode());
      if (!formatted.equals(customer.phone())) {
        batch.bind("phone", formatted).bind("id", customer.id()).add();
      }
    }
    if (batch.size() > 0) {
      batch.execute();
    }
  }

  private record Customer(long id, String phone, String countryCode) {}
}
