package com.acme.migrations;

import dev.datamigrations.DataMigration;
import dev.datamigrations.runtime.Migration;
import org.jdbi.v3.core.Handle;

/** Changes nothing, unless the build runs with -Dsample.fail: then it changes rows and fails. */
@DataMigration(version = 20240103000000L)
public final class FailOnRequest implements Migration {

  @Override
  public void up(Handle handle) {
    if (Boolean.getBoolean("sample.fail")) {
      handle.execute("UPDATE greetings SET text = 'changed before the failure'");
      throw new IllegalStateException("failing on purpose (-Dsample.fail)");
    }
  }
}
