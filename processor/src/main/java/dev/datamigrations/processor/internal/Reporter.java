package dev.datamigrations.processor.internal;

import java.util.List;
import javax.annotation.processing.Messager;

/**
 * Prints findings and counts errors, and keeps going: one bad class must not hide the errors of the
 * others.
 */
public final class Reporter {
  private final Messager messager;
  private int errorCount;

  public Reporter(Messager messager) {
    this.messager = messager;
  }

  /** Prints every finding, in order. */
  public void report(List<Finding> findings) {
    findings.forEach(this::report);
  }

  /** Prints one finding at the most precise place it names. */
  public void report(Finding finding) {
    if (finding.isError()) {
      errorCount++;
    }
    if (finding.annotation().isEmpty()) {
      messager.printMessage(finding.kind(), finding.message(), finding.element());
    } else if (finding.value().isEmpty()) {
      messager.printMessage(
          finding.kind(), finding.message(), finding.element(), finding.annotation().get());
    } else {
      messager.printMessage(
          finding.kind(),
          finding.message(),
          finding.element(),
          finding.annotation().get(),
          finding.value().get());
    }
  }

  /** Returns how many errors were printed so far. */
  public int errorCount() {
    return errorCount;
  }
}
