package dev.datamigrations.spring.boot;

import dev.datamigrations.runtime.Migration;
import dev.datamigrations.runtime.MigrationCatalog;
import dev.datamigrations.runtime.MigrationDescriptor;
import java.util.List;

/**
 * A hand-written catalog with one migration that inserts 'grace': stands for a user's catalog bean.
 */
final class OneMigrationCatalog implements MigrationCatalog {
  static final long VERSION = 20240101000000L;

  @Override
  public List<MigrationDescriptor> descriptors() {
    return List.of(
        new MigrationDescriptor(
            VERSION, "Add Grace", OneMigrationCatalog.class.getName(), true, false));
  }

  @Override
  public Migration instantiate(int index) {
    return handle -> handle.execute("INSERT INTO customers (name) VALUES ('grace')");
  }
}
