/**
 * The runtime's machinery behind {@link dev.datamigrations.runtime.MigrationRunner}: dialects, the
 * history table, the run locks, planning and execution. Not an API: anything here may change in any
 * release.
 */
package dev.datamigrations.runtime.internal;
