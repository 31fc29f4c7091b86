package dev.datamigrations.runtime.backfill;

import java.time.Instant;

/**
 * One failed attempt of a backfill's batch, as recorded in {@code <history>_errors} when the
 * attempt rolled back.
 *
 * @param batchNumber the batch's number
 * @param keys the batch's keys when it failed, {@code 3 to 30}
 * @param attempt which attempt of the batch failed, from 1 (attempts start again from 1 after a
 *     {@code resume} and for each half of a split batch)
 * @param errorClass the class of the exception {@code process} (or the batch's commit) threw
 * @param message its message, credentials masked, at most 1,000 characters
 * @param stackTrace its stack trace, credentials masked, at most 4,000 characters
 * @param failedAt when the attempt rolled back
 * @param worker which worker ran it: {@code host:pid:thread}
 * @param outcome what the worker did next: {@code retry at ...}, {@code split in halves}, or why
 *     the backfill failed
 */
public record BatchFailure(
    long batchNumber,
    String keys,
    int attempt,
    String errorClass,
    String message,
    String stackTrace,
    Instant failedAt,
    String worker,
    String outcome) {

  /**
   * Returns {@code batch 3 (keys 9 to 30), attempt 2: java.lang.IllegalStateException: boom; retry
   * at 2025-03-01T12:00:02Z}.
   */
  @Override
  public String toString() {
    return "batch "
        + batchNumber
        + " (keys "
        + keys
        + "), attempt "
        + attempt
        + ": "
        + errorClass
        + (message == null || message.isEmpty() ? "" : ": " + message)
        + "; "
        + outcome;
  }
}
