/**
 * The test kit's parts that are not its API: one place per database for schema isolation, the data
 * source that binds connections to a test's schema, the catalog that records a backfill's batches,
 * and the one class that sets a runner's backfill options.
 */
package dev.datamigrations.testing.internal;
