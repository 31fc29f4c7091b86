package dev.datamigrations.runtime.internal;

import dev.datamigrations.runtime.MigrationDescriptor;
import java.util.List;

/**
 * What {@code assertNoPending} needs from one read.
 *
 * @param pending the migrations that have not started, in the order they would run
 * @param running the backfills that started and are not done
 */
public record PendingWork(List<MigrationDescriptor> pending, List<MigrationDescriptor> running) {

  public PendingWork {
    pending = List.copyOf(pending);
    running = List.copyOf(running);
  }
}
