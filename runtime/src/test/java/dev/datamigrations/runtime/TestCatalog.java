package dev.datamigrations.runtime;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Consumer;
import org.jdbi.v3.core.Handle;

/** A hand-written {@link MigrationCatalog}, what the processor would generate, for tests. */
final class TestCatalog implements MigrationCatalog {
  private record Item(MigrationDescriptor descriptor, Consumer<Handle> up, Consumer<Handle> down) {}

  private final List<Item> items;

  private TestCatalog(List<Item> items) {
    this.items =
        items.stream().sorted(Comparator.comparingLong(i -> i.descriptor().version())).toList();
  }

  static Builder builder() {
    return new Builder();
  }

  @Override
  public List<MigrationDescriptor> descriptors() {
    return items.stream().map(Item::descriptor).toList();
  }

  @Override
  public Migration instantiate(int index) {
    Item item = items.get(index);
    if (item.down() == null) {
      return item.up()::accept;
    }
    return new Migration() {
      @Override
      public void up(Handle handle) {
        item.up().accept(handle);
      }

      @Override
      public void down(Handle handle) {
        item.down().accept(handle);
      }
    };
  }

  static final class Builder {
    private final List<Item> items = new ArrayList<>();

    /** Adds a transactional, irreversible migration named {@code test.M<version>}. */
    Builder add(long version, Consumer<Handle> up) {
      return add(version, "test.M" + version, true, up, null);
    }

    /** Adds a transactional, reversible migration. */
    Builder addReversible(long version, Consumer<Handle> up, Consumer<Handle> down) {
      return add(version, "test.M" + version, true, up, down);
    }

    Builder add(
        long version,
        String className,
        boolean transactional,
        Consumer<Handle> up,
        Consumer<Handle> down) {
      items.add(
          new Item(
              new MigrationDescriptor(
                  version, "Migration " + version, className, transactional, down != null),
              up,
              down));
      return this;
    }

    /**
     * Gives {@code version}'s descriptor the source checksum {@code sha256}, as the processor does.
     */
    Builder checksum(long version, String sha256) {
      for (int i = 0; i < items.size(); i++) {
        Item item = items.get(i);
        if (item.descriptor().version() == version) {
          items.set(i, new Item(item.descriptor().withChecksum(sha256), item.up(), item.down()));
        }
      }
      return this;
    }

    TestCatalog build() {
      return new TestCatalog(items);
    }
  }
}
