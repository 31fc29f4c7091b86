package dev.datamigrations.processor.internal;

/**
 * The names of the types the processor looks up or generates references to, each in exactly one
 * constant. By name, never by class literal: the processor does not depend on the runtime, JDBI or
 * an inject API, which are on the user's classpath, not the processor's. {@code NamesTest} checks
 * each against the real class, so a type that moves fails the build here instead of silently
 * turning every check off.
 */
public final class Names {
  public static final String DATA_MIGRATION = "dev.datamigrations.DataMigration";

  /** The runtime's public package, where the generated registry's runtime types live. */
  public static final String RUNTIME_PACKAGE = "dev.datamigrations.runtime";

  public static final String MIGRATION = RUNTIME_PACKAGE + ".Migration";
  public static final String MIGRATION_CATALOG = RUNTIME_PACKAGE + ".MigrationCatalog";
  public static final String MIGRATION_CATALOG_FACTORY =
      RUNTIME_PACKAGE + ".MigrationCatalogFactory";
  public static final String MIGRATION_DEPENDENCY = RUNTIME_PACKAGE + ".MigrationDependency";
  public static final String MIGRATION_DEPENDENCIES = RUNTIME_PACKAGE + ".MigrationDependencies";

  /**
   * The backfill interface, in the backfill layer's package: the only place its name is written.
   */
  public static final String BACKFILL = RUNTIME_PACKAGE + ".backfill.Backfill";

  /** The backfill over a query's rows. */
  public static final String QUERY_BACKFILL = RUNTIME_PACKAGE + ".backfill.QueryBackfill";

  /** The backfill over a CSV file's rows. */
  public static final String CSV_BACKFILL = RUNTIME_PACKAGE + ".backfill.CsvBackfill";

  /** Every backfill shape: a class implements at most one. */
  public static final java.util.List<String> BACKFILL_SHAPES =
      java.util.List.of(BACKFILL, QUERY_BACKFILL, CSV_BACKFILL);

  public static final String HANDLE = "org.jdbi.v3.core.Handle";
  public static final String JDBI = "org.jdbi.v3.core.Jdbi";
  public static final String PACKAGE_OPTION = "datamigrations.package";
  public static final String REGISTRY = "MigrationRegistry";

  private Names() {}
}
