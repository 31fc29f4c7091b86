package dev.datamigrations.runtime;

/**
 * Supplies the constructor arguments of migrations with {@code @Inject} constructors to the
 * registry's generated factory ({@code MigrationRegistry.withDependencies(dependencies)}), which
 * creates each such migration with {@code new}: the way a container other than Dagger (Spring
 * Boot's auto-configuration) provides them without reflection on the migration classes. Called when
 * a migration is created, i.e. just before it runs, outside its transaction.
 */
@FunctionalInterface
public interface MigrationDependencies {

  /**
   * Returns the value of {@code dependency}, an instance of {@code dependency.type()} (the
   * generated code casts it to the declared type).
   *
   * @throws RuntimeException if it cannot be supplied, naming the dependency
   */
  Object get(MigrationDependency dependency);
}
