package dev.datamigrations.spring.boot;

import dev.datamigrations.runtime.MigrationExecution;
import dev.datamigrations.runtime.MigrationFailedException;
import dev.datamigrations.runtime.MigrationListener;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Remembers the last migration that failed in this process (at start-up or in a detached background
 * run), so that the health indicator can report it; cleared by the next success of the same
 * version.
 */
public final class FailureRecorder implements MigrationListener {
  private final AtomicReference<MigrationFailedException> last = new AtomicReference<>();

  @Override
  public void failed(MigrationFailedException failure) {
    last.set(failure);
  }

  @Override
  public void succeeded(MigrationExecution execution) {
    last.updateAndGet(
        failure ->
            failure != null && failure.migration().version() == execution.migration().version()
                ? null
                : failure);
  }

  /** Returns the last failure, if any. */
  public Optional<MigrationFailedException> lastFailure() {
    return Optional.ofNullable(last.get());
  }
}
