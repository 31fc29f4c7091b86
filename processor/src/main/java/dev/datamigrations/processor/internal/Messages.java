package dev.datamigrations.processor.internal;

import java.util.Locale;

/**
 * Every text the processor prints, in one place so that the processor and its tests share the same
 * strings (MapStruct's {@code Message}). Each reads: the construct, the rule, the culprit, the fix.
 */
public enum Messages {
  NOT_A_CLASS(
      "@DataMigration must annotate a class, but %s is %s. Make it a public class that implements "
          + Names.MIGRATION
          + "."),
  ABSTRACT_CLASS(
      "@DataMigration class %s must not be abstract: the generated registry instantiates it. Make it"
          + " concrete, or annotate a concrete subclass instead."),
  NOT_A_MIGRATION(
      "@DataMigration class %s must implement "
          + Names.MIGRATION
          + ". Add 'implements Migration' and its up(Handle) method."),
  RUNTIME_MISSING(
      "@DataMigration class %s cannot be checked: "
          + Names.MIGRATION
          + " is not on the classpath. Add the dev.datamigrations:datamigrations-runtime dependency."),
  PRIVATE_CLASS(
      "@DataMigration class %s must not be private: the generated registry cannot instantiate it. Make it"
          + " public."),
  NOT_PUBLIC(
      "@DataMigration class %s must be public: the generated registry may live in another package. Make it"
          + " public."),
  INNER_CLASS_NOT_STATIC(
      "Nested @DataMigration class must be static: %s is an inner class, which needs an instance of %s."
          + " Add the static modifier."),
  ENCLOSING_CLASS_NOT_PUBLIC(
      "@DataMigration class %s sits inside %s, which is not public: the generated registry cannot reach it."
          + " Make %s public, or move the migration to the top level."),
  NO_USABLE_CONSTRUCTOR(
      "@DataMigration class %s needs a public no-argument constructor or an @Inject constructor: the"
          + " generated registry creates it with new, or through Dagger. Add one."),
  PRIVATE_INJECT_CONSTRUCTOR(
      "@Inject constructor of @DataMigration class %s must not be private: Dagger cannot call it. Make it"
          + " public."),
  SEVERAL_INJECT_CONSTRUCTORS(
      "@DataMigration class %s has more than one @Inject constructor: Dagger would not know which to call."
          + " Keep one."),
  VERSION_NOT_POSITIVE(
      "@DataMigration version %d must be positive. Use the yyyyMMddHHmmss UTC date-time at which the"
          + " migration was written, e.g. 20240831020834L."),
  VERSION_NOT_A_DATE_TIME(
      "@DataMigration version %d is not a valid yyyyMMddHHmmss date-time (a 14-digit version is read as"
          + " one). Use the UTC date-time at which the migration was written, e.g. 20240831020834L for"
          + " 2024-08-31 02:08:34."),
  DUPLICATE_VERSION(
      "Duplicate data migration version %d: also used by %s. Give each migration a unique version"
          + " (yyyyMMddHHmmss of its creation)."),
  MIXED_VERSION_STYLES(
      "@DataMigration version %d is a short sequence number, but other migrations use yyyyMMddHHmmss"
          + " date-times (e.g. %d in %s); mixing the two styles is almost always a typo. Use the"
          + " yyyyMMddHHmmss date-time at which the migration was written."),
  NO_COMMON_PACKAGE(
      "@DataMigration classes share no package to put the generated MigrationRegistry in (%s is in %s)."
          + " Pass -Adatamigrations.package=<package> to javac (compilerArgs in Maven)."),
  INVALID_PACKAGE_OPTION(
      "-Adatamigrations.package=%s is not a valid package name. Pass a dotted Java package name, such as"
          + " com.example.migrations."),
  TOO_MANY_INJECTED(
      "@DataMigration class %s is one of %d migrations with an @Inject constructor, more than the %d"
          + " providers the generated MigrationRegistry constructor can take (the JVM's parameter limit)."
          + " Give some of them a public no-argument constructor."),
  LATE_MIGRATION(
      "@DataMigration class %s was generated in a later annotation-processing round, after"
          + " MigrationRegistry was written. Generate migrations in the first round, or write them by hand."),
  INJECTED_REGISTRY(
      "MigrationRegistry %s has migrations with @Inject constructors (%s), so it has an @Inject constructor"
          + " taking their providers instead of static run methods: a dependency-injection container creates"
          + " it. With Dagger, expose it from your component (MigrationRegistry migrations();) and call"
          + " component.migrations().run(jdbi); Spring Boot (datamigrations-spring-boot-starter) finds its"
          + " Factory through META-INF/services and passes beans to the constructors; elsewhere, call"
          + " MigrationRegistry.withDependencies(dependencies)."),
  BACKFILL_TRANSACTIONAL(
      "@DataMigration backfill %s cannot be transactional = true: each of its batches runs in a transaction"
          + " of its own, so the backfill as a whole never does. Remove transactional = true."),
  BACKFILL_OVERRIDES_UP(
      "@DataMigration backfill %s must not implement up(Handle): the runner calls process(Handle, Batch)"
          + " batch by batch and never up. Move the work into process, or implement Migration instead of"
          + " Backfill for a one-go migration."),
  BACKFILL_SHAPES_MIXED(
      "@DataMigration backfill %s implements %s: a backfill walks one collection (a table's keys, a query's"
          + " rows or a CSV file's rows), so the runner could not tell which. Implement only one of them."),
  WRITE_FAILED(
      "The datamigrations processor could not write the files of %s (its source, service entry and index): %s."
          + " If another annotation processor or a source file creates the same file, pass"
          + " -Adatamigrations.package=<package> to put the registry elsewhere."),
  UNEXPECTED_FAILURE(
      "The datamigrations processor failed unexpectedly; this is a bug, please report it with this"
          + " trace:%n%s");

  private final String template;

  Messages(String template) {
    this.template = template;
  }

  /** Returns the message with its placeholders filled, as the processor prints it. */
  public String format(Object... args) {
    return String.format(Locale.ROOT, template, args);
  }

  /** Returns the raw template, placeholders included. */
  public String template() {
    return template;
  }
}
