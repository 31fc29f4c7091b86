package dev.datamigrations.runtime.backfill;

import java.time.Instant;

/**
 * One failed attempt of a backfill's batch, as recorded in {@code <history>_errors} when the
 * attempt rolled back.
 *
 * @param batchNumber the batch's number
 * @param keys the batch's keys when it failed, {@code 3 to 30} ({@code 'a' to 'k'} for text keys,
 *     tuples for composite ones), at most 200 characters
 * @param attempt which attempt of the batch failed, from 1 (attempts start again from 1 after a
 *     {@code resume} and for each half of a split batch)
 * @param errorClass the class of the exception {@code process} (or the batch's commit) threw
 * @param message its message, credentials masked, at most 1,000 characters, null if it had none; a
 *     NUL or other control character (but tab and line breaks) and half of a surrogate pair become
 *     U+FFFD, so that every database stores it
 * @param stackTrace its stack trace as {@code printStackTrace} writes it (suppressed exceptions,
 *     causes, a cycle of causes named once), masked the same way, at most 4,000 characters
 * @param failedAt when the attempt rolled back
 * @param worker which worker ran it: {@code host:pid:thread}
 * @param outcome what the worker did next: {@code attempt 1 of 3, retried after 2000 ms}, {@code
 *     split in halves}, {@code meanwhile another worker did the batch} (it was claimed between the
 *     rollback and the record), or why the backfill failed
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
