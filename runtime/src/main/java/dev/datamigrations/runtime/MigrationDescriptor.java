package dev.datamigrations.runtime;

/**
 * What the compiler knows about one migration: read from its {@code @DataMigration} annotation and its class,
 * and written into the generated registry as a literal.
 *
 * @param version the unique version, see {@link dev.datamigrations.DataMigration#version()}
 * @param description the given or derived description
 * @param className the migration's binary class name, for messages and the history table
 * @param transactional whether it runs in one transaction together with its history row
 * @param reversible whether the class overrides {@link Migration#down}
 * @param kind a plain migration or a {@link Backfill}; a backfill is never transactional as a whole (each of its
 *     batches is)
 */
public record MigrationDescriptor(
    long version,
    String description,
    String className,
    boolean transactional,
    boolean reversible,
    MigrationKind kind) {

  public MigrationDescriptor {
    java.util.Objects.requireNonNull(kind, "kind");
  }

  /** Describes a plain {@link Migration}: the form the generated registry uses for them. */
  public MigrationDescriptor(
      long version, String description, String className, boolean transactional, boolean reversible) {
    this(version, description, className, transactional, reversible, MigrationKind.MIGRATION);
  }

  /** Returns whether it is a {@link Backfill}. */
  public boolean backfill() {
    return kind == MigrationKind.BACKFILL;
  }

  /** Returns "version (description, class name)", the form every message uses. */
  @Override
  public String toString() {
    return version + " (" + description + ", " + className + ")";
  }
}
