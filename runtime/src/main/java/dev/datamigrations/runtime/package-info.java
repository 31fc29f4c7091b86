/**
 * The runtime: applies the migrations listed by the generated {@code MigrationRegistry} on JDBI,
 * records them in the {@code data_migrations} table, and offers the verbs migrate, up, down,
 * rollback, status and pending. No reflection and no class-path scanning: everything it runs was
 * listed at compile time.
 */
package dev.datamigrations.runtime;
