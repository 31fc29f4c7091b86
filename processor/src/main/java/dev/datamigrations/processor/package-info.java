/**
 * The annotation processor: checks {@code @DataMigration} classes at compile time and generates the
 * {@code MigrationRegistry}, so that a broken set of migrations fails the build instead of a
 * deployment. Only {@link dev.datamigrations.processor.DataMigrationProcessor} is an entry point.
 */
package dev.datamigrations.processor;
