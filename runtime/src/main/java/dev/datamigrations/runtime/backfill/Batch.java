package dev.datamigrations.runtime.backfill;

/**
 * One batch of a {@link Backfill}: a range of keys, both ends included, as split when the batch was
 * claimed.
 *
 * @param number the batch's number, from 1, in key order
 * @param first the lowest key of the batch
 * @param last the highest key of the batch
 * @param size how many keys the range held when it was split
 */
public record Batch(long number, long first, long last, long size) {}
