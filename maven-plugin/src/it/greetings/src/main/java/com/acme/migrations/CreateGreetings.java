package com.acme.migrations;

import dev.datamigrations.DataMigration;
import dev.datamigrations.runtime.Migration;
import org.jdbi.v3.core.Handle;

// Not transactional: it runs DDL, which H2 (and MySQL) commit implicitly; the runtime refuses DDL
// inside a transaction there.
@DataMigration(version = 20240101000000L, transactional = false)
public final class CreateGreetings implements Migration {

  @Override
  public void up(Handle handle) {
    handle.execute("CREATE TABLE greetings (id BIGINT PRIMARY KEY, text VARCHAR(100) NOT NULL)");
    handle.execute("INSERT INTO greetings VALUES (1, 'hello'), (2, 'bonjour'), (3, 'hallo')");
  }
}
