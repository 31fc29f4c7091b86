package dev.datamigrations.runtime;

import dev.datamigrations.runtime.backfill.Backfill;
import dev.datamigrations.runtime.backfill.Batch;
import dev.datamigrations.runtime.backfill.KeyRange;
import java.util.List;
import org.jdbi.v3.core.Handle;

/**
 * The catalog the fault-injection tests kill runs of, what the processor would generate for five
 * migrations whose every effect can be counted:
 *
 * <ol>
 *   <li>transactional: adds 1 to its {@code counter} row and inserts three {@code effects} rows;
 *       {@code down} subtracts 1 and deletes them (so an effect applied twice shows as 2, or 6
 *       rows);
 *   <li>{@code transactional = false}, written to be safe to re-run as the README asks: several
 *       auto-commit steps that together set its counter to 1 and leave exactly two effects rows;
 *       {@code down} undoes them;
 *   <li>transactional, like 1;
 *   <li>a backfill over the items table that adds 1 to {@code hits} of every key in the batch (a
 *       key processed twice shows 2); {@code down} sets every {@code hits} back to 0;
 *   <li>transactional, like 1.
 * </ol>
 *
 * <p>Every table name starts with a prefix of the iteration's own, so that iterations and suites
 * never meet.
 */
final class FaultCatalog implements MigrationCatalog {
  static final long BACKFILL = 4;
  static final long NON_TRANSACTIONAL = 2;
  static final List<Long> VERSIONS = List.of(1L, 2L, 3L, 4L, 5L);
  static final List<Long> TRANSACTIONAL = List.of(1L, 3L, 5L);

  /** Keys 1..ITEMS in the items table; batches of BATCH_SIZE keys. */
  static final int ITEMS = 40;

  static final int BATCH_SIZE = 5;

  private final Tables tables;

  FaultCatalog(Tables tables) {
    this.tables = tables;
  }

  /** The names of one iteration's tables. */
  record Tables(String prefix) {
    String history() {
      return prefix + "dm";
    }

    String counter() {
      return prefix + "counter";
    }

    String effects() {
      return prefix + "effects";
    }

    String items() {
      return prefix + "items";
    }

    /** Returns every table the catalog and the runner create, for clean-up. */
    List<String> all() {
      return List.of(
          history(),
          history() + "_lock",
          history() + "_progress",
          history() + "_batches",
          counter(),
          effects(),
          items());
    }

    /** Creates the catalog's own tables with their starting rows (nothing applied). */
    void create(Handle handle) {
      handle.execute(
          "CREATE TABLE " + counter() + " (version BIGINT NOT NULL PRIMARY KEY, n INT NOT NULL)");
      handle.execute("CREATE TABLE " + effects() + " (version BIGINT NOT NULL, k INT NOT NULL)");
      handle.execute(
          "CREATE TABLE " + items() + " (id BIGINT NOT NULL PRIMARY KEY, hits INT NOT NULL)");
      handle.useTransaction(
          h -> {
            for (long version : List.of(1L, 2L, 3L, 5L)) {
              h.execute("INSERT INTO " + counter() + " (version, n) VALUES (?, 0)", version);
            }
            var batch = h.prepareBatch("INSERT INTO " + items() + " (id, hits) VALUES (?, 0)");
            for (long id = 1; id <= ITEMS; id++) {
              batch.add(id);
            }
            batch.execute();
          });
    }
  }

  @Override
  public List<MigrationDescriptor> descriptors() {
    return List.of(
        new MigrationDescriptor(1, "Count one", "test.fault.CountOne", true, true),
        new MigrationDescriptor(2, "Set two in steps", "test.fault.SetTwo", false, true),
        new MigrationDescriptor(3, "Count three", "test.fault.CountThree", true, true),
        new MigrationDescriptor(
            4, "Hit every item", "test.fault.HitItems", false, true, MigrationKind.BACKFILL),
        new MigrationDescriptor(5, "Count five", "test.fault.CountFive", true, true));
  }

  @Override
  public Migration instantiate(int index) {
    return switch (index) {
      case 0 -> new Counting(1);
      case 1 -> new InSteps();
      case 2 -> new Counting(3);
      case 3 -> new HitItems();
      case 4 -> new Counting(5);
      default -> throw new IndexOutOfBoundsException(index);
    };
  }

  /** A transactional migration: not idempotent on purpose, so that running it twice shows. */
  private final class Counting implements Migration {
    private final long version;

    Counting(long version) {
      this.version = version;
    }

    @Override
    public void up(Handle handle) {
      handle.execute("UPDATE " + tables.counter() + " SET n = n + 1 WHERE version = ?", version);
      for (int k = 1; k <= 3; k++) {
        handle.execute(
            "INSERT INTO " + tables.effects() + " (version, k) VALUES (?, ?)", version, k);
      }
    }

    @Override
    public void down(Handle handle) {
      handle.execute("UPDATE " + tables.counter() + " SET n = n - 1 WHERE version = ?", version);
      handle.execute("DELETE FROM " + tables.effects() + " WHERE version = ?", version);
    }
  }

  /** A non-transactional migration in four auto-commit steps, safe to re-run from the start. */
  private final class InSteps implements Migration {
    @Override
    public void up(Handle handle) {
      handle.execute("DELETE FROM " + tables.effects() + " WHERE version = 2");
      handle.execute("INSERT INTO " + tables.effects() + " (version, k) VALUES (2, 1)");
      handle.execute("INSERT INTO " + tables.effects() + " (version, k) VALUES (2, 2)");
      handle.execute("UPDATE " + tables.counter() + " SET n = 1 WHERE version = 2");
    }

    @Override
    public void down(Handle handle) {
      handle.execute("UPDATE " + tables.counter() + " SET n = 0 WHERE version = 2");
      handle.execute("DELETE FROM " + tables.effects() + " WHERE version = 2");
    }
  }

  /** The backfill: counts every key it processes. */
  private final class HitItems implements Backfill {
    @Override
    public KeyRange keys() {
      return KeyRange.of(tables.items(), "id");
    }

    @Override
    public void process(Handle handle, Batch batch) {
      handle
          .createUpdate(
              "UPDATE " + tables.items() + " SET hits = hits + 1 WHERE id BETWEEN :first AND :last")
          .bind("first", batch.first())
          .bind("last", batch.last())
          .execute();
    }

    @Override
    public void down(Handle handle) {
      handle.execute("UPDATE " + tables.items() + " SET hits = 0");
    }
  }
}
