package dev.datamigrations.runtime;

import java.util.Objects;

/**
 * One constructor parameter of a migration with an {@code @Inject} constructor, as the annotation
 * processor read it from the source: the generated registry lists them all (see {@link
 * MigrationCatalogFactory#dependencies()}), so that a container can check, before any migration
 * runs, that it can supply each one.
 *
 * @param migration the migration whose constructor takes it
 * @param parameter the parameter's name in the source (e.g. {@code clock})
 * @param type the parameter's class, erased (e.g. {@code java.util.List} for {@code List<Foo>})
 * @param typeName the parameter's type as declared (e.g. {@code java.util.List<com.acme.Foo>})
 * @param generic whether the declared type has type arguments, which {@code type} does not carry
 * @param qualifier the parameter's qualifier annotation as written (e.g.
 *     {@code @jakarta.inject.Named("utc")}, an annotation marked {@code @Qualifier}, or Spring's
 *     {@code @Qualifier}), or null: a container that asks by {@code type} alone must refuse a
 *     qualified parameter rather than pass it another bean
 */
public record MigrationDependency(
    MigrationDescriptor migration,
    String parameter,
    Class<?> type,
    String typeName,
    boolean generic,
    String qualifier) {

  public MigrationDependency {
    Objects.requireNonNull(migration, "migration");
    Objects.requireNonNull(parameter, "parameter");
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(typeName, "typeName");
  }

  /** Creates the dependency of a parameter without a qualifier. */
  public MigrationDependency(
      MigrationDescriptor migration,
      String parameter,
      Class<?> type,
      String typeName,
      boolean generic) {
    this(migration, parameter, type, typeName, generic, null);
  }

  /**
   * Returns {@code parameter 'clock' (java.time.Clock) of 20250301000000 (Stamp a customer,
   * com.acme.Stamp)}.
   */
  @Override
  public String toString() {
    return "parameter '" + parameter + "' (" + typeName + ") of " + migration;
  }
}
