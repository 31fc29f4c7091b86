package dev.datamigrations.runtime;

import org.jdbi.v3.core.Jdbi;

/**
 * The child JVM of the killed-run test: applies migration 1, then halts the JVM inside migration
 * 2's {@code up}, after it wrote rows and before anything committed.
 *
 * <p>Arguments: JDBC URL, user ("" for none), password, history table, items table.
 */
public final class KilledRunMain {
  static final String HALTING = "KilledRunMain: halting inside up";

  private KilledRunMain() {}

  static TestCatalog catalog(String items, boolean halt) {
    return TestCatalog.builder()
        .add(1, h -> h.execute("INSERT INTO " + items + " (id, name) VALUES (1, 'one')"))
        .add(
            2,
            h -> {
              for (int id = 20; id <= 22; id++) {
                h.execute("INSERT INTO " + items + " (id, name) VALUES (?, 'two')", id);
              }
              if (halt) {
                System.out.println(HALTING);
                System.out.flush();
                Runtime.getRuntime().halt(1);
              }
            })
        .build();
  }

  public static void main(String[] args) {
    Jdbi jdbi = args[1].isEmpty() ? Jdbi.create(args[0]) : Jdbi.create(args[0], args[1], args[2]);
    MigrationRunner.configure(jdbi, catalog(args[4], true)).table(args[3]).build().migrate();
    System.out.println("KilledRunMain: migrate returned, which it must not");
    System.exit(3);
  }
}
