package dev.datamigrations.runtime;

import dev.datamigrations.runtime.backfill.Backfills;
import java.util.Set;
import java.util.TreeSet;

/**
 * The verbs the fault tests kill, each with the state it starts from, what the killed run does, how
 * a person recovers (run the verb again, as the README says), and the state that recovery must
 * reach.
 */
enum FaultVerb {
  /** {@code migrate} of all five, the backfill included. */
  MIGRATE(true) {
    @Override
    void act(MigrationRunner runner, long target) {
      runner.migrate();
    }

    @Override
    Set<Long> expected(long target) {
      return Set.copyOf(FaultCatalog.VERSIONS);
    }
  },
  /**
   * {@code up} of one version: a transactional one, the non-transactional one or the backfill, in
   * turn.
   */
  UP(true) {
    @Override
    long target(int iteration) {
      return new long[] {1, 2, 4}[iteration % 3];
    }

    @Override
    void act(MigrationRunner runner, long target) {
      runner.up(target);
    }

    @Override
    Set<Long> expected(long target) {
      return Set.of(target);
    }
  },
  /**
   * {@code down} of a transactional version and of the non-transactional one, in turn, all applied.
   */
  DOWN(false) {
    @Override
    long target(int iteration) {
      return iteration % 2 == 0 ? 3 : 2;
    }

    @Override
    void prepare(MigrationRunner runner) {
      runner.migrate();
    }

    @Override
    void act(MigrationRunner runner, long target) {
      runner.down(target);
    }

    @Override
    void recover(MigrationRunner runner, long target, Set<Long> applied) {
      downAgain(runner, target, applied);
    }

    @Override
    Set<Long> expected(long target) {
      Set<Long> expected = new TreeSet<>(FaultCatalog.VERSIONS);
      expected.remove(target);
      return expected;
    }
  },
  /** {@code rollback(2)} with 1, 2 and 3 applied: reverts 3 (transactional), then 2 (not). */
  ROLLBACK(false) {
    @Override
    void prepare(MigrationRunner runner) {
      runner.up(1);
      runner.up(2);
      runner.up(3);
    }

    @Override
    void act(MigrationRunner runner, long target) {
      runner.rollback(2);
    }

    @Override
    void recover(MigrationRunner runner, long target, Set<Long> applied) {
      // rollback counts from the top: run it again for what the killed run did not revert.
      int left = (applied.contains(2L) ? 1 : 0) + (applied.contains(3L) ? 1 : 0);
      if (left > 0) {
        runner.rollback(left);
      }
    }

    @Override
    Set<Long> expected(long target) {
      return Set.of(1L);
    }
  },
  /**
   * The backfill's batches, run by {@code migrate} and by {@code work(4)} in turn, 1 to 3 applied.
   */
  BACKFILL(true) {
    @Override
    long target(int iteration) {
      return iteration % 2 == 0 ? 0 : FaultCatalog.BACKFILL;
    }

    @Override
    void prepare(MigrationRunner runner) {
      runner.up(1);
      runner.up(2);
      runner.up(3);
    }

    @Override
    void act(MigrationRunner runner, long target) {
      if (target == 0) {
        runner.migrate();
      } else {
        Backfills.of(runner).work(target);
      }
    }

    @Override
    Set<Long> expected(long target) {
      return target == 0 ? Set.copyOf(FaultCatalog.VERSIONS) : Set.of(1L, 2L, 3L, 4L);
    }
  },
  /**
   * The backfill's {@code down}, all applied; recovery also runs {@code migrate}, which must run it
   * again.
   */
  BACKFILL_DOWN(false) {
    @Override
    long target(int iteration) {
      return FaultCatalog.BACKFILL;
    }

    @Override
    void prepare(MigrationRunner runner) {
      runner.migrate();
    }

    @Override
    void act(MigrationRunner runner, long target) {
      runner.down(target);
    }

    @Override
    void recover(MigrationRunner runner, long target, Set<Long> applied) {
      downAgain(runner, target, applied);
      runner.migrate();
    }

    @Override
    Set<Long> expected(long target) {
      return Set.copyOf(FaultCatalog.VERSIONS);
    }
  };

  /**
   * Whether the verb applies (so that "history row present implies its effects are complete" holds
   * at every instant); a {@code down} that is not transactional undoes its effects before it
   * deletes the row.
   */
  final boolean upward;

  FaultVerb(boolean upward) {
    this.upward = upward;
  }

  /** Returns the version the verb works on in {@code iteration} (0 when it has none). */
  long target(int iteration) {
    return 0;
  }

  /** Brings the database to the state the verb starts from. */
  void prepare(MigrationRunner runner) {}

  /** Runs the verb: the run that is killed. */
  abstract void act(MigrationRunner runner, long target);

  /** Recovers after a kill, given the versions the history table holds: runs the verb again. */
  void recover(MigrationRunner runner, long target, Set<Long> applied) {
    act(runner, target);
  }

  /** Returns the versions that must be applied once recovery ended. */
  abstract Set<Long> expected(long target);

  /**
   * Runs {@code down} again: it must revert a version still applied, and refuse one that is not.
   */
  private static void downAgain(MigrationRunner runner, long target, Set<Long> applied) {
    if (applied.contains(target)) {
      runner.down(target);
    } else {
      try {
        runner.down(target);
        throw new AssertionError("down(" + target + ") of a version not applied did not refuse");
      } catch (MigrationNotAppliedException expected) {
        // Refused clearly, before changing anything.
      }
    }
  }
}
