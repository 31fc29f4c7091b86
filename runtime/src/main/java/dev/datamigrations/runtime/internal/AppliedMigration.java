package dev.datamigrations.runtime.internal;

import java.time.Instant;

/** One row of the history table. */
public record AppliedMigration(
    long version,
    String description,
    String className,
    Instant appliedAt,
    long executionMillis,
    String appliedBy,
    String reason) {}
