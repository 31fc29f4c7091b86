package dev.datamigrations.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.datamigrations.runtime.backfill.BackfillKeyException;
import dev.datamigrations.runtime.backfill.KeyRange;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Backfills over UUID, text and composite keys, filters and queries on Sqlite. */
class SqliteKeysBackfillTest extends KeysBackfillContract {
  private static final TestDatabase DATABASE = TestDatabase.sqlite();

  @Override
  TestDatabase database() {
    return DATABASE;
  }

  @Override
  String uuidType() {
    return "TEXT";
  }

  @Override
  String uuidParameter() {
    return "?";
  }

  @Override
  boolean partialIndexes() {
    return true;
  }

  @Override
  boolean expressionIndexes() {
    return true;
  }

  /**
   * SQLite has no UUID type: a column declared UUID holds text, here in upper case. Walked as UUIDs
   * (bound back in lower case, which sorts after every upper-case text), the rows after the first
   * batch were skipped.
   */
  @Test
  void uuidKeysStoredAsTextInAnyCaseAreWalkedEveryRowOnce() {
    String table =
        table("uuidtext", "CREATE TABLE %s (id UUID NOT NULL PRIMARY KEY, hits INT NOT NULL)");
    Random random = new Random(17);
    jdbi.useTransaction(
        h -> {
          var insert = h.prepareBatch("INSERT INTO " + table + " (id, hits) VALUES (?, 0)");
          for (int i = 0; i < 200; i++) {
            String id = new UUID(random.nextLong(), random.nextLong()).toString();
            insert.add(i % 2 == 0 ? id.toUpperCase(Locale.ROOT) : id);
          }
          insert.execute();
        });
    MigrationRunner runner = runner(new CountHits(KeyRange.of(table, "id")), 7);
    runner.migrate();
    assertEquals(Map.of(1, 200), hits(table), "every row exactly once");
    assertDone(runner, 200);
  }

  /**
   * A column of a table without STRICT keeps a text value in an INTEGER column: read with getLong
   * it was 0, the cursor went back, and the backfill handed out the same ranges forever. It stops,
   * naming the value.
   */
  @Test
  void aTextValueInAnIntegerKeyColumnStopsTheBackfillNamingIt() {
    String table =
        table(
            "mixed",
            "CREATE TABLE %s (pk INTEGER PRIMARY KEY, code INT NOT NULL UNIQUE, hits INT NOT NULL)",
            "INSERT INTO %s (code, hits) VALUES (1, 0)",
            "INSERT INTO %s (code, hits) VALUES (2, 0)",
            "INSERT INTO %s (code, hits) VALUES ('abc', 0)",
            "INSERT INTO %s (code, hits) VALUES (3, 0)");
    MigrationRunner runner = runner(new CountHits(KeyRange.of(table, "code")), 2);
    BackfillKeyException stopped =
        assertTimeoutPreemptively(
            Duration.ofSeconds(60),
            () -> assertThrows(BackfillKeyException.class, runner::migrate));
    assertTrue(
        stopped
            .getMessage()
            .contains(
                "has the key 'abc' in its integer key column \"code\", which is no integer that fits"
                    + " a Java long"),
        stopped.getMessage());
    assertTrue(
        hits(table).keySet().stream().allMatch(hits -> hits <= 1),
        "no row processed twice: " + hits(table));
  }
}
