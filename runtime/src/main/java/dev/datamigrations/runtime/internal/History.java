package dev.datamigrations.runtime.internal;

import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.TreeMap;

/** The history table as read once at the start of a run: what is applied, by version. */
public final class History implements AppliedHistory {
  private final NavigableMap<Long, AppliedMigration> rows = new TreeMap<>();

  public History(List<AppliedMigration> rows) {
    rows.forEach(row -> this.rows.put(row.version(), row));
  }

  /** Returns the history of a database whose history table does not exist yet. */
  public static History empty() {
    return new History(List.of());
  }

  @Override
  public boolean isApplied(long version) {
    return rows.containsKey(version);
  }

  @Override
  public Optional<AppliedMigration> row(long version) {
    return Optional.ofNullable(rows.get(version));
  }

  @Override
  public long newestVersion() {
    return rows.isEmpty() ? Long.MIN_VALUE : rows.lastKey();
  }

  /** Returns every row, newest version first. */
  public Collection<AppliedMigration> newestFirst() {
    return Collections.unmodifiableCollection(rows.descendingMap().values());
  }

  /** Returns every row, ascending by version. */
  public Collection<AppliedMigration> ascending() {
    return Collections.unmodifiableCollection(rows.values());
  }
}
