package dev.datamigrations.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.datamigrations.runtime.backfill.BatchTuning;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The tuner's arithmetic: toward the target, by at most the step, within the bounds. */
class BatchTuningTest {
  private final BatchTuning tuning = new BatchTuning(Duration.ofMillis(100), 100, 10_000, 0.2);

  @Test
  void growsByAtMostTheStepWhenFaster() {
    assertEquals(1200, tuning.next(1000, Duration.ofMillis(10)));
    assertEquals(
        1099, tuning.next(1000, Duration.ofMillis(91))); // within the step: toward the target
  }

  @Test
  void shrinksByAtMostTheStepWhenSlower() {
    assertEquals(800, tuning.next(1000, Duration.ofSeconds(5)));
    assertEquals(909, tuning.next(1000, Duration.ofMillis(110)));
  }

  @Test
  void staysWithinBounds() {
    assertEquals(100, tuning.next(110, Duration.ofSeconds(1)));
    assertEquals(10_000, tuning.next(9_900, Duration.ofMillis(1)));
  }

  @Test
  void holdsAtTheTarget() {
    assertEquals(1000, tuning.next(1000, Duration.ofMillis(100)));
  }

  @Test
  void rejectsNonsense() {
    assertThrows(IllegalArgumentException.class, () -> new BatchTuning(Duration.ZERO, 1, 2, 0.5));
    assertThrows(
        IllegalArgumentException.class, () -> new BatchTuning(Duration.ofSeconds(1), 5, 2, 0.5));
    assertThrows(
        IllegalArgumentException.class, () -> new BatchTuning(Duration.ofSeconds(1), 1, 2, 1.5));
  }
}
