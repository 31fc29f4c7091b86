package com.acme;

import static dev.datamigrations.runtime.MigrationDescriptor.Reversibility.IRREVERSIBLE;
import static dev.datamigrations.runtime.MigrationDescriptor.Reversibility.REVERSIBLE;
import static dev.datamigrations.runtime.MigrationDescriptor.Transaction.NON_TRANSACTIONAL;
import static dev.datamigrations.runtime.MigrationDescriptor.Transaction.TRANSACTIONAL;

import com.acme.a.BackfillURLs2024;
import com.acme.a.FillNames;
import com.acme.a.UpdatePhoneNumbers;
import com.acme.b.Cleanups;
import dev.datamigrations.runtime.MigrateResult;
import dev.datamigrations.runtime.Migration;
import dev.datamigrations.runtime.MigrationCatalog;
import dev.datamigrations.runtime.MigrationDescriptor;
import dev.datamigrations.runtime.MigrationRunner;
import java.util.List;
import javax.annotation.processing.Generated;
import javax.sql.DataSource;
import org.jdbi.v3.core.Jdbi;

/**
 * Lists every data migration of this application in ascending version order, as checked at compile time,
 * and creates them without reflection. Generated: do not edit.
 *
 * <pre>{@code
 * MigrateResult result = MigrationRegistry.run(jdbi);
 * }</pre>
 *
 * <p>Also registered for {@link java.util.ServiceLoader} as a {@link MigrationCatalog}.
 */
@Generated(
    value = "dev.datamigrations.processor.DataMigrationProcessor",
    comments = "The @DataMigration classes of this compilation, in ascending version order"
)
public final class MigrationRegistry implements MigrationCatalog {
  private static final List<MigrationDescriptor> DESCRIPTORS = List.of(
      MigrationDescriptor.migration(9L, "Backfill URLs 2024", "com.acme.a.BackfillURLs2024", NON_TRANSACTIONAL, IRREVERSIBLE)
          .withChecksum("453944c772e297801aab933184956d3f996847c578c86a694bf363a5c0b9e961"),
      MigrationDescriptor.migration(10L, "Update phone numbers", "com.acme.a.UpdatePhoneNumbers", TRANSACTIONAL, REVERSIBLE)
          .withChecksum("9985c947d6afc99c130029b99a6dac776d54eb9ad4fb173413649d0a2cedbb11"),
      MigrationDescriptor.backfill(11L, "Fill names", "com.acme.a.FillNames", IRREVERSIBLE)
          .withChecksum("d3536518c23f3d3819b189f3c4de3c14f5db1f4182ae54fdb729a112ee433037"),
      MigrationDescriptor.migration(100L, "Remove \"orphaned\" rows", "com.acme.b.Cleanups$RemoveOrphans", TRANSACTIONAL, IRREVERSIBLE)
          .withChecksum("bde580bb18fe1da49a1a391faacf38bbb6ece3bd240d8f36cad7636a54972880"));

  /**
   * Creates the registry; public for {@link java.util.ServiceLoader}.
   */
  public MigrationRegistry() {
  }

  /**
   * Returns every migration's descriptor, in ascending version order.
   */
  @Override
  public List<MigrationDescriptor> descriptors() {
    return DESCRIPTORS;
  }

  /**
   * Creates the migration described by {@code descriptors().get(index)}.
   *
   * @throws IndexOutOfBoundsException if there is no such migration
   */
  @Override
  public Migration instantiate(int index) {
    return switch (index) {
      case 0 -> new BackfillURLs2024();
      case 1 -> new UpdatePhoneNumbers();
      case 2 -> new FillNames();
      case 3 -> new Cleanups.RemoveOrphans();
      default -> throw noMigrationAt(index);
    };
  }

  /**
   * Returns a builder for a runner of these migrations on {@code jdbi}'s database, to set the history table,
   * lock timeout, reason and so on.
   */
  public static MigrationRunner.Builder configure(Jdbi jdbi) {
    return MigrationRunner.configure(jdbi, new MigrationRegistry());
  }

  /**
   * Returns a runner of these migrations on {@code jdbi}'s database, with the default settings.
   */
  public static MigrationRunner runner(Jdbi jdbi) {
    return configure(jdbi).build();
  }

  /**
   * Applies every pending migration on {@code jdbi}'s database, in ascending version order, each in a transaction
   * of its own unless declared {@code transactional = false}.
   */
  public static MigrateResult run(Jdbi jdbi) {
    return runner(jdbi).migrate();
  }

  /**
   * Applies every pending migration on {@code dataSource}'s database; see {@link #run(Jdbi)}. A Jdbi is created
   * only if something is pending.
   */
  public static MigrateResult run(DataSource dataSource) {
    return MigrationRunner.configure(dataSource, new MigrationRegistry()).build().migrate();
  }

  private static IndexOutOfBoundsException noMigrationAt(int index) {
    return new IndexOutOfBoundsException("No migration at index " + index + "; there are " + DESCRIPTORS.size());
  }
}
