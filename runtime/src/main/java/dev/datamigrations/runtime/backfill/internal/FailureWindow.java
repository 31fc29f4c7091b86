package dev.datamigrations.runtime.backfill.internal;

import java.util.ArrayDeque;

/**
 * The outcomes of the latest batch attempts of one backfill in this process, shared by its worker
 * threads: tells when more than half of the last {@code size} attempts failed (GitLab's "failure
 * ratio" of a batched background migration, over a sliding window instead of the whole run).
 */
final class FailureWindow {
  private final int size;
  private final ArrayDeque<Boolean> outcomes = new ArrayDeque<>();
  private int failures;

  FailureWindow(int size) {
    this.size = size;
  }

  /** Records a committed batch. */
  synchronized void succeeded() {
    add(false);
  }

  /**
   * Records a failed attempt; returns whether the window is full and more than half of it failed.
   */
  synchronized boolean failedAndOverThreshold() {
    add(true);
    return outcomes.size() == size && failures * 2 > size;
  }

  /** Returns {@code 11 of the last 20 batch attempts in this process failed}. */
  synchronized String describe() {
    return failures + " of the last " + outcomes.size() + " batch attempts in this process failed";
  }

  private void add(boolean failed) {
    outcomes.addLast(failed);
    failures += failed ? 1 : 0;
    if (outcomes.size() > size) {
      failures -= outcomes.removeFirst() ? 1 : 0;
    }
  }
}
