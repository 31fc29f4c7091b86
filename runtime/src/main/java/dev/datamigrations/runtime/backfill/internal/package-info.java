/**
 * The backfill machinery: the controller the engine calls for a backfill step, the workers, the
 * progress and batch tables. Not an API: anything here may change in any release.
 */
package dev.datamigrations.runtime.backfill.internal;
