/**
 * The example's data migrations. The processor generates {@code MigrationRegistry} here: the
 * longest package the migrations share.
 */
package dev.datamigrations.example.migrations;
