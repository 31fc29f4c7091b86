package dev.datamigrations.spring.boot;

import java.time.Duration;

/**
 * Hears how long the start-up run took, so that the initializer needs no Micrometer: {@link
 * DataMigrationsMetrics} turns it into the {@code datamigrations.run.duration} timer.
 */
@FunctionalInterface
interface RunRecorder {
  /** Records nothing: used when Micrometer is absent. */
  RunRecorder NONE = (verb, outcome, duration) -> {};

  /**
   * Records one start-up run.
   *
   * @param verb {@code migrate}, {@code verify} or {@code strategy}
   * @param outcome {@code success} or {@code failure}
   */
  void record(String verb, String outcome, Duration duration);
}
