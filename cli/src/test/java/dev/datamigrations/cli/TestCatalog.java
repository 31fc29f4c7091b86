package dev.datamigrations.cli;

import dev.datamigrations.runtime.Migration;
import dev.datamigrations.runtime.MigrationCatalog;
import dev.datamigrations.runtime.MigrationDescriptor;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.jdbi.v3.core.Handle;

/**
 * A hand-written catalog, standing in for a generated {@code MigrationRegistry}: migrations on a
 * {@code customers} table that {@link #createSchema} makes. Registered for ServiceLoader in the
 * test resources.
 */
public class TestCatalog implements MigrationCatalog {
  static final long SEED = 20240101000000L;
  static final long NORMALIZE = 20240102000000L;
  static final long PURGE = 20240103000000L;
  static final long BREAK = 20240104000000L;
  static final long SLOW = 20240105000000L;
  static final long BLOCK = 20240106000000L;

  /** A migration and its descriptor. */
  record Entry(MigrationDescriptor descriptor, Supplier<Migration> factory) {}

  static final Entry SEED_CUSTOMERS =
      new Entry(
          new MigrationDescriptor(SEED, "Seed customers", "test.SeedCustomers", true, true),
          () ->
              new Migration() {
                @Override
                public void up(Handle handle) {
                  handle.execute("INSERT INTO customers VALUES (1, 'Ada', '+33 6 12 34 56 78')");
                  handle.execute("INSERT INTO customers VALUES (2, 'Grace', '06-12-34-56-79')");
                  handle.execute("INSERT INTO customers VALUES (3, 'Test', '000')");
                }

                @Override
                public void down(Handle handle) {
                  handle.execute("DELETE FROM customers WHERE id IN (1, 2, 3)");
                }
              });

  static final Entry NORMALIZE_PHONES =
      new Entry(
          new MigrationDescriptor(
              NORMALIZE, "Normalize phone numbers", "test.NormalizePhoneNumbers", true, true),
          () ->
              new Migration() {
                @Override
                public void up(Handle handle) {
                  handle.execute(
                      "UPDATE customers SET phone = REGEXP_REPLACE(phone, '[^0-9+]', '')");
                }

                @Override
                public void down(Handle handle) {
                  // Formatting cannot be restored, and need not be: the numbers are the same.
                }
              });

  static final Entry PURGE_TEST_ACCOUNTS =
      new Entry(
          new MigrationDescriptor(
              PURGE, "Purge test accounts", "test.PurgeTestAccounts", true, false),
          () -> handle -> handle.execute("DELETE FROM customers WHERE name = 'Test'"));

  static final Entry BREAK_ON_PURPOSE =
      new Entry(
          new MigrationDescriptor(BREAK, "Break on purpose", "test.BreakOnPurpose", true, true),
          () ->
              handle -> {
                handle.execute("UPDATE customers SET name = 'broken'");
                throw new IllegalStateException("boom");
              });

  static final Entry TAKE_A_WHILE =
      new Entry(
          new MigrationDescriptor(SLOW, "Take a while", "test.TakeAWhile", true, true),
          () ->
              handle -> {
                sleep(350);
              });

  private final List<Entry> entries;

  /** The three standard migrations: seed, normalize, purge (irreversible). */
  public TestCatalog() {
    this(List.of(SEED_CUSTOMERS, NORMALIZE_PHONES, PURGE_TEST_ACCOUNTS));
  }

  TestCatalog(List<Entry> entries) {
    List<Entry> sorted = new ArrayList<>(entries);
    sorted.sort(Comparator.comparingLong(e -> e.descriptor().version()));
    this.entries = List.copyOf(sorted);
  }

  /** Returns the standard migrations plus {@code extra}. */
  static TestCatalog standardPlus(Entry... extra) {
    List<Entry> all = new ArrayList<>(new TestCatalog().entries);
    all.addAll(List.of(extra));
    return new TestCatalog(all);
  }

  /** Returns an entry whose migration signals {@code started}, then waits for {@code release}. */
  static Entry blocking(CountDownLatch started, CountDownLatch release) {
    return new Entry(
        new MigrationDescriptor(BLOCK, "Wait for release", "test.WaitForRelease", true, true),
        () ->
            handle -> {
              started.countDown();
              try {
                release.await(10, TimeUnit.SECONDS);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            });
  }

  /** Creates the table the migrations work on, as an application's schema migrations would. */
  static void createSchema(Handle handle) {
    handle.execute(
        "CREATE TABLE IF NOT EXISTS customers (id INT PRIMARY KEY, name VARCHAR(100), phone VARCHAR(40))");
  }

  @Override
  public List<MigrationDescriptor> descriptors() {
    return entries.stream().map(Entry::descriptor).toList();
  }

  @Override
  public Migration instantiate(int index) {
    return entries.get(index).factory().get();
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
