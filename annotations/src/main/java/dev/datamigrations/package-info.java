/**
 * The {@link dev.datamigrations.DataMigration} annotation, in an artifact of its own so that user
 * code does not depend on the processor and the processor does not depend on the runtime.
 */
package dev.datamigrations;
