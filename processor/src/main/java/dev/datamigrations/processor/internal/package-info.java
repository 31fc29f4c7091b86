/**
 * The processor's parts, not an API: a reader, one validator per concern (each returns findings and
 * never prints), a reporter, the registry generator, and the index that keeps Maven's partial
 * recompilation from losing migrations (see {@link
 * dev.datamigrations.processor.internal.MigrationIndex}).
 */
package dev.datamigrations.processor.internal;
