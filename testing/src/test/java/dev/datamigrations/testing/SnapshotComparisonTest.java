package dev.datamigrations.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** How {@link TableSnapshot} compares rows: as multisets, in time linear in the rows. */
class SnapshotComparisonTest {

  private static TableSnapshot table(int rows, String name) {
    List<List<Object>> values = new ArrayList<>();
    for (int id = 0; id < rows; id++) {
      values.add(Arrays.asList(id, name));
    }
    return new TableSnapshot("customers", List.of("id", "name"), values);
  }

  @Test
  void aDownThatChangedEveryRowOfABigTableIsReportedWithoutComparingEveryPairOfRows() {
    TableSnapshot before = table(200_000, "Ada");
    TableSnapshot after = table(200_000, "ADA");

    List<String> differences =
        assertTimeoutPreemptively(Duration.ofSeconds(60), () -> after.differencesFrom(before, 10));

    assertEquals(22, differences.size(), String.join("\n", differences));
    assertEquals("customers: ... and 199990 more rows no longer there", differences.get(10));
    assertEquals("customers: ... and 199990 more rows not there before", differences.get(21));
  }

  @Test
  void duplicateRowsOfATableWithoutKeyCount() {
    TableSnapshot twice =
        new TableSnapshot("tags", List.of("name"), List.of(Arrays.asList("a"), Arrays.asList("a")));
    TableSnapshot once = new TableSnapshot("tags", List.of("name"), List.of(Arrays.asList("a")));

    assertEquals(List.of("tags: row no longer there: (name=a)"), once.differencesFrom(twice, 10));
    assertEquals(List.of("tags: row not there before: (name=a)"), twice.differencesFrom(once, 10));
  }

  @Test
  void twoSnapshotsOfTheSameRowsAreEqualWhateverOrderTheDatabaseReturnsThemIn() {
    try (MigrationTester tester =
        MigrationTester.configure(new dev.datamigrations.testing.fixtures.MigrationRegistry())
            .build()) {
      tester.seed(
          h -> {
            // The text 'null' and SQL NULL print alike; inserted in opposite orders.
            h.execute("CREATE TABLE a (name VARCHAR(10))");
            h.execute("CREATE TABLE b (name VARCHAR(10))");
            h.execute("INSERT INTO a VALUES ('null'), (NULL)");
            h.execute("INSERT INTO b VALUES (NULL), ('null')");
          });

      DatabaseSnapshot snapshot = tester.snapshot("a", "b");

      assertEquals(snapshot.table("a").rows(), snapshot.table("b").rows());
    }
  }
}
