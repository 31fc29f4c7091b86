package dev.datamigrations.runtime;

import dev.datamigrations.runtime.backfill.KeyRange;
import org.junit.jupiter.api.Test;

/** Backfills over UUID, text and composite keys, filters and queries on Postgres. */
class PostgresKeysBackfillTest extends KeysBackfillContract {
  private static final TestDatabase DATABASE = TestDatabase.postgres();

  @Override
  TestDatabase database() {
    return DATABASE;
  }

  @Override
  String uuidType() {
    return "UUID";
  }

  @Override
  int workers() {
    return 4;
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
   * A table that is not in the current schema but in two others: the key check must not merge their
   * columns, keys and indexes (one has a nullable, non-unique "key"), so it refuses and asks for
   * the schema.
   */
  @Test
  void aTableFoundInSeveralOtherSchemasIsRefusedWithTheFix() {
    String one = prefix + "_s1";
    String two = prefix + "_s2";
    String name = prefix + "_twice";
    jdbi.useHandle(
        h -> {
          h.execute("CREATE SCHEMA " + one);
          h.execute("CREATE SCHEMA " + two);
          h.execute("CREATE TABLE " + one + "." + name + " (id BIGINT PRIMARY KEY, hits INT)");
          h.execute("CREATE TABLE " + two + "." + name + " (id BIGINT, hits INT)");
        });
    try {
      assertRefused(
          new CountHits(KeyRange.of(name, "id")),
          "is not in the current schema public but in several others (" + one + ", " + two + ")",
          "Name its schema: KeyRange.of(\"<schema>\", \"" + name + "\", ...)");
    } finally {
      jdbi.useHandle(
          h -> {
            h.execute("DROP SCHEMA " + one + " CASCADE");
            h.execute("DROP SCHEMA " + two + " CASCADE");
          });
    }
  }
}
