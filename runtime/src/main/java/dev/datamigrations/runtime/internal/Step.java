package dev.datamigrations.runtime.internal;

import dev.datamigrations.runtime.Direction;
import dev.datamigrations.runtime.MigrationDescriptor;

/**
 * One migration to run in a plan.
 *
 * @param entry the migration
 * @param direction up or down
 * @param outOfOrder whether it is applied below the newest applied version (logged as a warning)
 */
public record Step(CatalogIndex.Entry entry, Direction direction, boolean outOfOrder) {

  public MigrationDescriptor descriptor() {
    return entry.descriptor();
  }
}
