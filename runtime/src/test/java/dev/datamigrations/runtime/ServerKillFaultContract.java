package dev.datamigrations.runtime;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.jdbi.v3.core.Handle;

/**
 * Has the database server kill the runner's connection, from another connection, between two of the
 * runner's steps (or after a random time), for every verb; see {@link FaultHarness}. Runs in this
 * JVM: the runner's process survives, only its connection dies, so the killed run must end (with an
 * exception) and leave nothing half-done that the next run cannot finish.
 */
abstract class ServerKillFaultContract extends FaultHarness {

  /** Returns the query answering the server's id of the current connection. */
  abstract String connectionIdSql();

  /**
   * Kills connection {@code id} from {@code admin}, and returns once the server says it is gone.
   */
  abstract void terminate(Handle admin, long id);

  @Override
  String kind() {
    return "server kill";
  }

  @Override
  Kill inflict(
      FaultVerb verb,
      long target,
      FaultCatalog.Tables tables,
      long killAt,
      long delayMillis,
      boolean viaJdbi)
      throws Exception {
    AtomicReference<String> where = new AtomicReference<>();
    AtomicLong lastConnection = new AtomicLong(-1);
    CountingDataSource counting =
        new CountingDataSource(
            db,
            connectionIdSql(),
            (number, connection, id, step) -> {
              lastConnection.set(id);
              if (number == killAt) {
                where.set(
                    "before step "
                        + number
                        + " "
                        + step.replace('\n', ' ')
                        + " (connection "
                        + id
                        + ")");
                kill(id);
              }
            });
    MigrationRunner runner = runner(counting, viaJdbi, tables, LOCK_TIMEOUT);
    Thread timer = null;
    if (killAt < 0) {
      timer =
          new Thread(
              () -> {
                try {
                  Thread.sleep(delayMillis); // the fault's timing, not a wait for a condition
                } catch (InterruptedException e) {
                  return;
                }
                long id = lastConnection.get();
                if (id > 0) {
                  where.set("after " + delayMillis + " ms (connection " + id + ")");
                  kill(id);
                }
              },
              "fault-timer");
      timer.setDaemon(true);
      timer.start();
    }
    AtomicReference<RuntimeException> failure = new AtomicReference<>();
    String problem =
        withDeadline(
            runner,
            () -> {
              try {
                verb.act(runner, target);
              } catch (RuntimeException e) {
                failure.set(e); // the kill makes the run fail: expected
              }
            },
            "the run whose connection was killed");
    if (timer != null) {
      timer.interrupt();
      timer.join();
    }
    String hit = where.get() == null ? "never: it finished first" : where.get();
    if (failure.get() == null && where.get() != null && problem == null) {
      hit += "; the run still succeeded";
    } else if (failure.get() != null) {
      hit += "; the run failed with " + failure.get().getClass().getSimpleName();
    }
    return new Kill(hit, problem);
  }

  private void kill(long id) {
    try (Handle admin = plain.open()) {
      terminate(admin, id);
    }
  }

  /** Polls {@code countSql} (bound to {@code id}) until it answers 0, for at most 10 seconds. */
  static void awaitGone(Handle admin, String countSql, long id) {
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (admin.createQuery(countSql).bind(0, id).mapTo(Integer.class).one() > 0) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("the server did not end connection " + id + " within 10 s");
      }
      try {
        Thread.sleep(5);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }
}
