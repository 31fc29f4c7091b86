package com.acme.migrations;

import dev.datamigrations.DataMigration;
import dev.datamigrations.runtime.Migration;
import org.jdbi.v3.core.Handle;

@DataMigration(version = 20240102000000L)
public final class ShoutGreetings implements Migration {

  @Override
  public void up(Handle handle) {
    handle.execute("UPDATE greetings SET text = UPPER(text)");
  }

  @Override
  public void down(Handle handle) {
    handle.execute("UPDATE greetings SET text = LOWER(text)");
  }
}
