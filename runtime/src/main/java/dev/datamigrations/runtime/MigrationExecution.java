package dev.datamigrations.runtime;

import java.time.Duration;

/**
 * One migration that ran.
 *
 * @param migration what ran
 * @param direction up or down
 * @param duration how long {@code up}/{@code down} and its history write took
 */
public record MigrationExecution(
    MigrationDescriptor migration, Direction direction, Duration duration) {}
