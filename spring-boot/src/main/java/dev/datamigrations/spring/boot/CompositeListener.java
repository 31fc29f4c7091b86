package dev.datamigrations.spring.boot;

import dev.datamigrations.runtime.Direction;
import dev.datamigrations.runtime.MigrationDescriptor;
import dev.datamigrations.runtime.MigrationExecution;
import dev.datamigrations.runtime.MigrationFailedException;
import dev.datamigrations.runtime.MigrationListener;
import dev.datamigrations.runtime.backfill.BackfillListener;
import dev.datamigrations.runtime.backfill.BackfillProgress;
import dev.datamigrations.runtime.backfill.BatchFailure;
import java.time.Duration;
import java.util.List;

/**
 * Passes each event to every {@link MigrationListener} bean, in order: the runner takes only one
 * listener. A bean that is also a {@link BackfillListener} hears the backfills' progress, back-offs
 * and failed batch attempts too.
 */
final class CompositeListener implements MigrationListener, BackfillListener {
  private final List<MigrationListener> listeners;

  CompositeListener(List<MigrationListener> listeners) {
    this.listeners = List.copyOf(listeners);
  }

  @Override
  public void started(MigrationDescriptor migration, Direction direction) {
    listeners.forEach(l -> l.started(migration, direction));
  }

  @Override
  public void succeeded(MigrationExecution execution) {
    listeners.forEach(l -> l.succeeded(execution));
  }

  @Override
  public void failed(MigrationFailedException failure) {
    listeners.forEach(l -> l.failed(failure));
  }

  @Override
  public void backfillProgress(MigrationDescriptor backfill, BackfillProgress progress) {
    listeners.forEach(
        l -> {
          if (l instanceof BackfillListener backfills) {
            backfills.backfillProgress(backfill, progress);
          }
        });
  }

  @Override
  public void backfillThrottled(MigrationDescriptor backfill, String reason, Duration wait) {
    listeners.forEach(
        l -> {
          if (l instanceof BackfillListener backfills) {
            backfills.backfillThrottled(backfill, reason, wait);
          }
        });
  }

  @Override
  public void backfillYielded(MigrationDescriptor backfill, long busySessions, Duration pause) {
    listeners.forEach(
        l -> {
          if (l instanceof BackfillListener backfills) {
            backfills.backfillYielded(backfill, busySessions, pause);
          }
        });
  }

  @Override
  public void backfillBatchFailed(MigrationDescriptor backfill, BatchFailure failure) {
    listeners.forEach(
        l -> {
          if (l instanceof BackfillListener backfills) {
            backfills.backfillBatchFailed(backfill, failure);
          }
        });
  }
}
