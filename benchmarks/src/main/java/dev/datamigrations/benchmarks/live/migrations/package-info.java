/**
 * The live-traffic benchmark's one backfill, compiled with the real processor like a user's
 * migrations (its generated {@code MigrationRegistry} lands here).
 */
package dev.datamigrations.benchmarks.live.migrations;
