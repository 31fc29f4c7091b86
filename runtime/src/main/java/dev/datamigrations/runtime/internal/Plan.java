package dev.datamigrations.runtime.internal;

import java.util.List;

/**
 * What a verb will run, decided from one read of the history before anything changes.
 *
 * @param steps the migrations to run, in order
 * @param alreadyApplied how many of the verb's candidates were skipped because they are applied
 */
public record Plan(List<Step> steps, int alreadyApplied) {

  public Plan {
    steps = List.copyOf(steps);
  }
}
