package dev.datamigrations.runtime.internal;

import dev.datamigrations.runtime.BatchTuning;
import dev.datamigrations.runtime.HealthCheck;
import java.time.Duration;

/**
 * How a runner's backfills run.
 *
 * @param batchSize the first batch size (the only one without tuning)
 * @param tuning adjusts the batch size toward a target duration, or null
 * @param pause the pause of a worker between two batches
 * @param healthCheck asked before each batch
 * @param maxBackoff the longest wait between two health checks while the database is unhealthy
 * @param workers worker threads per process (1 on databases without {@code SKIP LOCKED})
 * @param progressInterval how often progress is logged and reported to the listener
 * @param pollInterval how often a waiting worker (paused backfill, batches held by others) looks again
 * @param detach whether {@code migrate} leaves a backfill to a background thread and returns
 */
public record BackfillSettings(
    int batchSize,
    BatchTuning tuning,
    Duration pause,
    HealthCheck healthCheck,
    Duration maxBackoff,
    int workers,
    Duration progressInterval,
    Duration pollInterval,
    boolean detach) {}
