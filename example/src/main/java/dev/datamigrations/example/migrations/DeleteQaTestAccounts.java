package dev.datamigrations.example.migrations;

import dev.datamigrations.DataMigration;
import dev.datamigrations.runtime.Migration;
import org.jdbi.v3.core.Handle;

/**
 * Deletes the accounts a QA session left in production. Irreversible on purpose: it does not
 * override {@code down}, so {@code down} and {@code rollback} refuse it before touching anything.
 */
@DataMigration(version = 20240910170000L, description = "Delete QA test accounts")
public final class DeleteQaTestAccounts implements Migration {

  @Override
  public void up(Handle handle) {
    handle.execute("DELETE FROM customers WHERE email LIKE '%@example.test'");
  }
}
