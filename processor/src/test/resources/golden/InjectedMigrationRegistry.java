package com.acme;

import static dev.datamigrations.runtime.MigrationDescriptor.Reversibility.IRREVERSIBLE;
import static dev.datamigrations.runtime.MigrationDescriptor.Transaction.TRANSACTIONAL;

import dev.datamigrations.runtime.MigrateResult;
import dev.datamigrations.runtime.Migration;
import dev.datamigrations.runtime.MigrationCatalog;
import dev.datamigrations.runtime.MigrationCatalogFactory;
import dev.datamigrations.runtime.MigrationDependencies;
import dev.datamigrations.runtime.MigrationDependency;
import dev.datamigrations.runtime.MigrationDescriptor;
import dev.datamigrations.runtime.MigrationRunner;
import java.util.List;
import javax.annotation.processing.Generated;
import javax.inject.Inject;
import javax.inject.Provider;
import javax.sql.DataSource;
import org.jdbi.v3.core.Jdbi;

/**
 * Lists every data migration of this application in ascending version order, as checked at compile time,
 * and creates them without reflection. Generated: do not edit.
 *
 * <p>Some migrations have {@code @Inject} constructors, so a dependency-injection container creates this registry.
 * With Dagger, expose it from your component and run it from there:
 *
 * <pre>{@code
 * // In the application's Dagger component interface:
 * MigrationRegistry migrations();
 *
 * // Then, at start-up or from a command:
 * component.migrations().run(jdbi);
 * }</pre>
 *
 * <p>With Spring Boot ({@code datamigrations-spring-boot-starter}) nothing more is needed: it finds {@link Factory}
 * through {@link java.util.ServiceLoader}, checks at start-up that every constructor parameter is a bean,
 * and creates each migration with {@code new} when it runs. Elsewhere:
 * {@code MigrationRegistry.withDependencies(dependencies).run(jdbi)}.
 */
@Generated(
    value = "dev.datamigrations.processor.DataMigrationProcessor",
    comments = "The @DataMigration classes of this compilation, in ascending version order"
)
public final class MigrationRegistry implements MigrationCatalog {
  private static final List<MigrationDescriptor> DESCRIPTORS = List.of(
      MigrationDescriptor.migration(1L, "Plain one", "com.acme.PlainOne", TRANSACTIONAL, IRREVERSIBLE)
          .withChecksum("ab57e5b45a65f5da0a36da33c847028719037a1fe5ea4b599be4ed28c4da7c66"),
      MigrationDescriptor.migration(2L, "Seed greetings", "com.acme.SeedGreetings", TRANSACTIONAL, IRREVERSIBLE)
          .withChecksum("0372b25a91473ec51f6720583b131380163d2041ad3442138954818e92630767"));

  private static final List<MigrationDependency> DEPENDENCIES = List.of(
      new MigrationDependency(DESCRIPTORS.get(1), "greeter", Greeter.class, "com.acme.Greeter", false));

  private final Provider<SeedGreetings> seedGreetingsProvider;

  /**
   * Creates the registry with the providers of the migrations that have {@code @Inject} constructors;
   * called by Dagger, and by {@link #withDependencies}.
   */
  @Inject
  public MigrationRegistry(Provider<SeedGreetings> seedGreetingsProvider) {
    this.seedGreetingsProvider = seedGreetingsProvider;
  }

  /**
   * Returns the registry, creating each migration that has an {@code @Inject} constructor with {@code new} when it
   * runs, its arguments asked of {@code dependencies}: for a container other than Dagger (Spring Boot's finds
   * {@link Factory}).
   */
  public static MigrationRegistry withDependencies(MigrationDependencies dependencies) {
    return new MigrationRegistry(
        () -> new SeedGreetings((Greeter) dependencies.get(DEPENDENCIES.get(0))));
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
      case 0 -> new PlainOne();
      case 1 -> seedGreetingsProvider.get();
      default -> throw noMigrationAt(index);
    };
  }

  /**
   * Returns a builder for a runner of these migrations on {@code jdbi}'s database, to set the history table,
   * lock timeout, reason and so on.
   */
  public MigrationRunner.Builder configure(Jdbi jdbi) {
    return MigrationRunner.configure(jdbi, this);
  }

  /**
   * Returns a runner of these migrations on {@code jdbi}'s database, with the default settings.
   */
  public MigrationRunner runner(Jdbi jdbi) {
    return configure(jdbi).build();
  }

  /**
   * Applies every pending migration on {@code jdbi}'s database, in ascending version order, each in a transaction
   * of its own unless declared {@code transactional = false}.
   */
  public MigrateResult run(Jdbi jdbi) {
    return runner(jdbi).migrate();
  }

  /**
   * Applies every pending migration on {@code dataSource}'s database; see {@link #run(Jdbi)}. A Jdbi is created
   * only if something is pending.
   */
  public MigrateResult run(DataSource dataSource) {
    return MigrationRunner.configure(dataSource, this).build().migrate();
  }

  private static IndexOutOfBoundsException noMigrationAt(int index) {
    return new IndexOutOfBoundsException("No migration at index " + index + "; there are " + DESCRIPTORS.size());
  }

  /**
   * Creates the registry from a {@link MigrationDependencies}; registered for {@link java.util.ServiceLoader} as a
   * {@link MigrationCatalogFactory}, through which Spring Boot's auto-configuration finds it without scanning.
   */
  public static final class Factory implements MigrationCatalogFactory {
    /**
     * Creates the factory; public for {@link java.util.ServiceLoader}.
     */
    public Factory() {
    }

    @Override
    public List<MigrationDependency> dependencies() {
      return DEPENDENCIES;
    }

    @Override
    public MigrationRegistry create(MigrationDependencies dependencies) {
      return withDependencies(dependencies);
    }
  }
}
