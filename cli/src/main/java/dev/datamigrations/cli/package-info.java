/**
 * The command line: the runtime's verbs (migrate, status, up, down, rollback, pending) and the
 * {@code new} generator behind one picocli entry, {@link dev.datamigrations.cli.DataMigrationsCli},
 * so that every application offers the same commands and the same exit codes to its deploy scripts
 * without writing them.
 */
package dev.datamigrations.cli;
