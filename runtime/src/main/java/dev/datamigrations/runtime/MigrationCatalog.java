package dev.datamigrations.runtime;

import java.util.List;

/**
 * The migrations of an application, as listed at compile time. The annotation processor generates
 * the only implementation an application needs, {@code MigrationRegistry}; it is also registered
 * for {@link java.util.ServiceLoader} so that a command line can find it without scanning the class
 * path.
 */
public interface MigrationCatalog {

  /** Returns every migration's descriptor, in ascending version order. */
  List<MigrationDescriptor> descriptors();

  /**
   * Creates the migration described by {@code descriptors().get(index)}: with {@code new}, or, for
   * a migration with an {@code @Inject} constructor, through its Dagger provider or with {@code
   * new} and the arguments of a {@link MigrationDependencies} (see {@link
   * MigrationCatalogFactory}).
   *
   * @throws IndexOutOfBoundsException if {@code index} is not an index of {@link #descriptors()}
   */
  Migration instantiate(int index);
}
