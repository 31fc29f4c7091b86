package dev.datamigrations.runtime;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * What one iteration's tables hold, read after a kill and after recovery, and the invariants
 * checked on it.
 *
 * @param history the versions in the history table (empty if it does not exist)
 * @param counter {@code n} per version of the counter table
 * @param effects the number of effects rows per version
 * @param hits {@code hits} per key of the items table
 * @param doneBatches the key ranges of the backfill's batches marked done, as {@code [first, last]}
 * @param progress the backfill's progress row ({@code state next_key exhausted}), or null
 */
record FaultState(
    Set<Long> history,
    Map<Long, Integer> counter,
    Map<Long, Integer> effects,
    Map<Long, Integer> hits,
    List<long[]> doneBatches,
    String progress) {

  static FaultState read(Jdbi jdbi, FaultCatalog.Tables tables) {
    try (Handle handle = jdbi.open()) {
      Set<Long> history = new TreeSet<>();
      if (exists(handle, tables.history())) {
        history.addAll(
            handle.createQuery("SELECT version FROM " + tables.history()).mapTo(Long.class).list());
      }
      Map<Long, Integer> counter = new TreeMap<>();
      handle
          .createQuery("SELECT version, n FROM " + tables.counter())
          .map((rows, ctx) -> counter.put(rows.getLong(1), rows.getInt(2)))
          .list();
      Map<Long, Integer> effects = new TreeMap<>();
      handle
          .createQuery("SELECT version, COUNT(*) FROM " + tables.effects() + " GROUP BY version")
          .map((rows, ctx) -> effects.put(rows.getLong(1), rows.getInt(2)))
          .list();
      Map<Long, Integer> hits = new TreeMap<>();
      handle
          .createQuery("SELECT id, hits FROM " + tables.items())
          .map((rows, ctx) -> hits.put(rows.getLong(1), rows.getInt(2)))
          .list();
      List<long[]> done = new ArrayList<>();
      String batches = tables.history() + "_batches";
      if (exists(handle, batches)) {
        done.addAll(
            handle
                .createQuery(
                    "SELECT first_key, last_key FROM "
                        + batches
                        + " WHERE version = 4 AND done = 1")
                .map((rows, ctx) -> new long[] {rows.getLong(1), rows.getLong(2)})
                .list());
      }
      String progress = null;
      String progressTable = tables.history() + "_progress";
      if (exists(handle, progressTable)) {
        progress =
            handle
                .createQuery(
                    "SELECT state, next_key, exhausted FROM "
                        + progressTable
                        + " WHERE version = 4")
                .map(
                    (rows, ctx) ->
                        rows.getString(1)
                            + " next_key="
                            + rows.getLong(2)
                            + " exhausted="
                            + rows.getInt(3))
                .findOne()
                .orElse(null);
      }
      return new FaultState(history, counter, effects, hits, done, progress);
    }
  }

  /**
   * Returns whether {@code table} exists: a query that fails says it does not (auto-commit, so
   * nothing aborts).
   */
  private static boolean exists(Handle handle, String table) {
    try {
      handle
          .createQuery("SELECT COUNT(*) FROM " + table + " WHERE 1 = 0")
          .mapTo(Integer.class)
          .one();
      return true;
    } catch (RuntimeException e) {
      return false;
    }
  }

  /**
   * Returns what breaks the invariants that hold at every instant, even right after a kill: a
   * transactional migration's row is present exactly when its effects are, each once; no effect
   * counted twice; and, while applying ({@code upward}), a row present means the effects are
   * complete, and each key was processed once exactly when its batch is marked done.
   */
  List<String> consistencyViolations(boolean upward) {
    List<String> violations = new ArrayList<>();
    for (long version : FaultCatalog.TRANSACTIONAL) {
      int n = counter.getOrDefault(version, -99);
      int rows = effects.getOrDefault(version, 0);
      boolean applied = history.contains(version);
      if (n != (applied ? 1 : 0) || rows != 3 * n) {
        violations.add(
            "transactional migration "
                + version
                + ": history row "
                + (applied ? "present" : "absent")
                + " but counter = "
                + n
                + " and "
                + rows
                + " effects rows (expected "
                + (applied ? "1 and 3" : "0 and 0")
                + ")");
      }
    }
    int two = counter.getOrDefault(FaultCatalog.NON_TRANSACTIONAL, -99);
    int twoRows = effects.getOrDefault(FaultCatalog.NON_TRANSACTIONAL, 0);
    if (two < 0 || two > 1 || twoRows > 2) {
      violations.add(
          "non-transactional migration 2: counter = "
              + two
              + ", "
              + twoRows
              + " effects rows (at most 1, 2)");
    }
    if (upward && history.contains(FaultCatalog.NON_TRANSACTIONAL) && (two != 1 || twoRows != 2)) {
      violations.add(
          "non-transactional migration 2 has its history row but counter = "
              + two
              + " and "
              + twoRows
              + " effects rows (its up had not finished)");
    }
    List<Long> twice =
        hits.entrySet().stream()
            .filter(e -> e.getValue() > 1 || e.getValue() < 0)
            .map(Map.Entry::getKey)
            .toList();
    if (!twice.isEmpty()) {
      violations.add("backfill keys processed more than once (or hits < 0): " + twice);
    }
    if (upward) {
      Set<Long> inDoneBatches = new TreeSet<>();
      for (long[] range : doneBatches) {
        for (long key = range[0]; key <= range[1]; key++) {
          if (hits.containsKey(key)) {
            inDoneBatches.add(key);
          }
        }
      }
      List<Long> mismatched =
          hits.entrySet().stream()
              .filter(e -> (e.getValue() == 1) != inDoneBatches.contains(e.getKey()))
              .map(Map.Entry::getKey)
              .toList();
      if (!mismatched.isEmpty()) {
        violations.add(
            "backfill keys whose hits disagree with their batch's done mark: " + mismatched);
      }
      if (history.contains(FaultCatalog.BACKFILL) && hits.values().stream().anyMatch(h -> h != 1)) {
        violations.add("backfill 4 has its history row but not every key was processed");
      }
    }
    return violations;
  }

  /**
   * Returns how this state differs from the end state of a recovery that applied exactly {@code
   * expected}.
   */
  List<String> finalViolations(Set<Long> expected) {
    List<String> violations = new ArrayList<>(consistencyViolations(true));
    if (!history.equals(new TreeSet<>(expected))) {
      violations.add("history holds " + history + ", expected " + new TreeSet<>(expected));
    }
    for (long version : List.of(1L, 2L, 3L, 5L)) {
      int want = expected.contains(version) ? 1 : 0;
      int wantRows = want * (version == FaultCatalog.NON_TRANSACTIONAL ? 2 : 3);
      if (counter.getOrDefault(version, -99) != want
          || effects.getOrDefault(version, 0) != wantRows) {
        violations.add(
            "migration "
                + version
                + ": counter = "
                + counter.get(version)
                + ", "
                + effects.getOrDefault(version, 0)
                + " effects rows; expected "
                + want
                + " and "
                + wantRows);
      }
    }
    int wantHits = expected.contains(FaultCatalog.BACKFILL) ? 1 : 0;
    List<Long> wrong =
        hits.entrySet().stream()
            .filter(e -> e.getValue() != wantHits)
            .map(Map.Entry::getKey)
            .toList();
    if (!wrong.isEmpty() || hits.size() != FaultCatalog.ITEMS) {
      violations.add("backfill keys whose hits are not " + wantHits + ": " + wrong);
    }
    return violations;
  }

  /** Returns the whole state, for a failure message. */
  String dump() {
    StringBuilder text = new StringBuilder();
    text.append("    history: ").append(history).append('\n');
    text.append("    counter: ").append(counter).append('\n');
    text.append("    effects rows per version: ").append(effects).append('\n');
    Map<Integer, List<Long>> byHits = new TreeMap<>();
    hits.forEach((key, value) -> byHits.computeIfAbsent(value, v -> new ArrayList<>()).add(key));
    text.append("    keys by hits: ").append(byHits).append('\n');
    List<String> ranges = doneBatches.stream().map(r -> r[0] + "-" + r[1]).sorted().toList();
    text.append("    backfill batches done: ").append(ranges).append('\n');
    text.append("    backfill progress: ").append(progress).append('\n');
    return text.toString();
  }
}
