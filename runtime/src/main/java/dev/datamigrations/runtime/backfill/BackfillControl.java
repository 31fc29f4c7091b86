package dev.datamigrations.runtime.backfill;

import java.util.Locale;
import java.util.Set;

/**
 * A change of a started backfill's state that any process may ask for: {@link Backfills#control}.
 */
public enum BackfillControl {
  /** Its workers, in every process, finish their current batch and wait. */
  PAUSE(BackfillState.PAUSED, Set.of(BackfillState.RUNNING)),
  /**
   * It goes on where it stopped; a cancelled or failed one has no workers left: run {@code migrate}
   * or {@code work}. A failed one's batches get all their attempts again.
   */
  RESUME(
      BackfillState.RUNNING,
      Set.of(BackfillState.PAUSED, BackfillState.CANCELLED, BackfillState.FAILED)),
  /**
   * Its workers stop after their current batch, and {@code migrate} refuses to go past it until
   * resumed.
   */
  CANCEL(
      BackfillState.CANCELLED,
      Set.of(BackfillState.RUNNING, BackfillState.PAUSED, BackfillState.FAILED));

  private final BackfillState target;
  private final Set<BackfillState> from;

  BackfillControl(BackfillState target, Set<BackfillState> from) {
    this.target = target;
    this.from = from;
  }

  /** Returns the state it sets. */
  public BackfillState target() {
    return target;
  }

  /** Returns the states it may change from. */
  public Set<BackfillState> from() {
    return from;
  }

  /** Returns the verb for messages: {@code pause}, {@code resume}, {@code cancel}. */
  public String verb() {
    return name().toLowerCase(Locale.ROOT);
  }
}
