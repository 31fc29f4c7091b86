package dev.datamigrations.processor;

import static com.google.common.truth.Truth.assertThat;

import dev.datamigrations.DataMigration;
import dev.datamigrations.processor.internal.Names;
import dev.datamigrations.processor.internal.ServiceFile;
import dev.datamigrations.runtime.Migration;
import dev.datamigrations.runtime.MigrationCatalog;
import dev.datamigrations.runtime.MigrationCatalogFactory;
import dev.datamigrations.runtime.MigrationDependencies;
import dev.datamigrations.runtime.MigrationDependency;
import dev.datamigrations.runtime.backfill.Backfill;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;

/**
 * The processor names the runtime's types by string (it does not depend on the runtime): each name
 * must be the real class's, or the processor would silently stop recognizing it. A type that moves
 * (the backfill interface to a package of its own) fails here until its one constant in {@link
 * Names} follows.
 */
class NamesTest {

  @Test
  void everyNameIsTheRealClassName() {
    assertThat(Names.DATA_MIGRATION).isEqualTo(DataMigration.class.getName());
    assertThat(Names.MIGRATION).isEqualTo(Migration.class.getName());
    assertThat(Names.MIGRATION_CATALOG).isEqualTo(MigrationCatalog.class.getName());
    assertThat(Names.MIGRATION_CATALOG_FACTORY).isEqualTo(MigrationCatalogFactory.class.getName());
    assertThat(Names.MIGRATION_DEPENDENCY).isEqualTo(MigrationDependency.class.getName());
    assertThat(Names.MIGRATION_DEPENDENCIES).isEqualTo(MigrationDependencies.class.getName());
    assertThat(Names.BACKFILL).isEqualTo(Backfill.class.getName());
    assertThat(Names.QUERY_BACKFILL)
        .isEqualTo(dev.datamigrations.runtime.backfill.QueryBackfill.class.getName());
    assertThat(Names.CSV_BACKFILL)
        .isEqualTo(dev.datamigrations.runtime.backfill.CsvBackfill.class.getName());
    assertThat(Names.HANDLE).isEqualTo(Handle.class.getName());
    assertThat(Names.JDBI).isEqualTo(Jdbi.class.getName());
    assertThat(Names.RUNTIME_PACKAGE).isEqualTo(Migration.class.getPackageName());
  }

  @Test
  void serviceFileNamesTheCatalogInterface() {
    assertThat(ServiceFile.PATH).isEqualTo("META-INF/services/" + MigrationCatalog.class.getName());
    assertThat(ServiceFile.FACTORY_PATH)
        .isEqualTo("META-INF/services/" + MigrationCatalogFactory.class.getName());
  }
}
