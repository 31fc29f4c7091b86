package dev.datamigrations.runtime.internal;

import dev.datamigrations.runtime.DataMigrationException;
import dev.datamigrations.runtime.Migration;
import dev.datamigrations.runtime.MigrationCatalog;
import dev.datamigrations.runtime.MigrationDescriptor;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** A catalog's migrations by version, read once when the runner is built. */
public final class CatalogIndex {
  /** Beyond this many versions, messages list the first and last few only. */
  private static final int LISTED_VERSIONS = 20;

  /**
   * One migration of the catalog and its position there, for {@link MigrationCatalog#instantiate}.
   */
  public record Entry(MigrationDescriptor descriptor, int index) {}

  private final MigrationCatalog catalog;
  private final List<Entry> ascending;
  private final Map<Long, Entry> byVersion = new HashMap<>();

  public CatalogIndex(MigrationCatalog catalog) {
    this.catalog = catalog;
    List<MigrationDescriptor> descriptors = catalog.descriptors();
    List<Entry> entries = new ArrayList<>(descriptors.size());
    for (int i = 0; i < descriptors.size(); i++) {
      Entry entry = new Entry(descriptors.get(i), i);
      Entry clash = byVersion.put(entry.descriptor().version(), entry);
      if (clash != null) {
        throw new DataMigrationException(
            "Data migration version "
                + entry.descriptor().version()
                + " is used twice: by "
                + clash.descriptor().className()
                + " and "
                + entry.descriptor().className()
                + ". Give one of them another version.");
      }
      entries.add(entry);
    }
    // The generated registry lists them ascending already; sorting again costs nothing and guards
    // hand-written
    // catalogs.
    entries.sort(Comparator.comparingLong(e -> e.descriptor().version()));
    this.ascending = List.copyOf(entries);
  }

  /** Returns every migration, ascending by version. */
  public List<Entry> ascending() {
    return ascending;
  }

  /** Returns the migration of {@code version}, or null if the code has none. */
  public Entry get(long version) {
    return byVersion.get(version);
  }

  /** Returns every version, ascending. */
  public List<Long> versions() {
    return ascending.stream().map(e -> e.descriptor().version()).toList();
  }

  /** Returns a new instance of the migration. */
  public Migration instantiate(Entry entry) {
    return catalog.instantiate(entry.index());
  }

  /**
   * Returns the known versions for a message: all of them, or the first and last few of a long
   * list.
   */
  public String knownVersions() {
    if (ascending.isEmpty()) {
      return "none (the catalog is empty)";
    }
    if (ascending.size() <= LISTED_VERSIONS) {
      return join(ascending);
    }
    int half = LISTED_VERSIONS / 2;
    return join(ascending.subList(0, half))
        + ", ... ("
        + (ascending.size() - 2 * half)
        + " more), "
        + join(ascending.subList(ascending.size() - half, ascending.size()));
  }

  private static String join(List<Entry> entries) {
    return entries.stream()
        .map(e -> Long.toString(e.descriptor().version()))
        .collect(Collectors.joining(", "));
  }
}
