package dev.datamigrations.runtime.backfill;

import java.time.Duration;
import java.util.Objects;

/**
 * Adjusts a backfill's batch size toward a target batch duration, as GitLab's batched background
 * migrations do: after each batch the size moves by the ratio of the target to the measured
 * duration, but by at most {@code maxStep} (0.2 = 20 %) at a time, and always within {@code
 * [minSize, maxSize]}.
 *
 * @param target the batch duration to aim at
 * @param minSize the smallest batch size
 * @param maxSize the largest batch size
 * @param maxStep the largest relative change per batch, in (0, 1]
 */
public record BatchTuning(Duration target, int minSize, int maxSize, double maxStep) {

  public BatchTuning {
    Objects.requireNonNull(target, "target");
    if (target.isNegative() || target.isZero()) {
      throw new IllegalArgumentException("target must be positive, was " + target);
    }
    if (minSize < 1 || maxSize < minSize) {
      throw new IllegalArgumentException(
          "need 1 <= minSize <= maxSize, was " + minSize + ", " + maxSize);
    }
    if (!(maxStep > 0 && maxStep <= 1)) {
      throw new IllegalArgumentException("maxStep must be in (0, 1], was " + maxStep);
    }
  }

  /** Returns a tuning toward {@code target} between 100 and 50,000 rows, 20 % at most per step. */
  public static BatchTuning toward(Duration target) {
    return new BatchTuning(target, 100, 50_000, 0.2);
  }

  /** Returns the next batch size after a batch of {@code size} rows took {@code took}. */
  public int next(int size, Duration took) {
    double ratio = (double) target.toNanos() / Math.max(1, took.toNanos());
    double factor = Math.max(1 - maxStep, Math.min(1 + maxStep, ratio));
    return clamp(Math.round(size * factor));
  }

  /**
   * Returns {@code size} moved into {@code [minSize, maxSize]}: the first batch of a tuned backfill
   * is the configured batch size, clamped.
   */
  public int clamp(long size) {
    return (int) Math.max(minSize, Math.min(maxSize, size));
  }
}
