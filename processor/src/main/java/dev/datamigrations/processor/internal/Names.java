package dev.datamigrations.processor.internal;

/**
 * The names of the types the processor looks up. By name, never by class literal: the processor does not
 * depend on the runtime, JDBI or an inject API, which are on the user's classpath, not the processor's.
 */
public final class Names {
  public static final String DATA_MIGRATION = "dev.datamigrations.DataMigration";
  public static final String MIGRATION = "dev.datamigrations.runtime.Migration";
  public static final String BACKFILL = "dev.datamigrations.runtime.Backfill";
  public static final String HANDLE = "org.jdbi.v3.core.Handle";
  public static final String JAVAX_INJECT = "javax.inject.Inject";
  public static final String JAKARTA_INJECT = "jakarta.inject.Inject";
  public static final String PACKAGE_OPTION = "datamigrations.package";
  public static final String REGISTRY = "MigrationRegistry";

  private Names() {}
}
