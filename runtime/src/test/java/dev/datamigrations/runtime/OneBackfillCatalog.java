package dev.datamigrations.runtime;

import java.util.List;

/** A catalog of one backfill, of any kind, as the processor would generate it. */
final class OneBackfillCatalog implements MigrationCatalog {
  static final long VERSION = 7;

  private final Migration backfill;

  OneBackfillCatalog(Migration backfill) {
    this.backfill = backfill;
  }

  @Override
  public List<MigrationDescriptor> descriptors() {
    return List.of(
        new MigrationDescriptor(
            VERSION, "Collection", "test.Collection", false, true, MigrationKind.BACKFILL));
  }

  @Override
  public Migration instantiate(int index) {
    if (index != 0) {
      throw new IndexOutOfBoundsException(index);
    }
    return backfill;
  }
}
