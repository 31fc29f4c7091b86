package dev.datamigrations.runtime.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** How SQL is classified: the first keywords of each statement, after comments, whitespace and parentheses. */
class ImplicitCommitGuardTest {

  @Test
  void findsDdlAfterCommentsWhitespaceAndParenthesesInAnyCase() {
    assertEquals("CREATE TABLE", ImplicitCommitGuard.committingHead(Dialect.H2, "create table t (id int)"));
    assertEquals(
        "ALTER TABLE",
        ImplicitCommitGuard.committingHead(Dialect.H2, "-- why\n /* block */ ( \n\tAlter TABLE t ADD c INT"));
    assertEquals("TRUNCATE TABLE", ImplicitCommitGuard.committingHead(Dialect.MYSQL, "# note\nTRUNCATE TABLE t"));
    assertEquals("DROP", ImplicitCommitGuard.committingHead(Dialect.MYSQL, "DROP"));
  }

  @Test
  void looksAtEveryStatementButNotInsideQuotesOrComments() {
    assertEquals(
        "CREATE INDEX",
        ImplicitCommitGuard.committingHead(Dialect.H2, "UPDATE t SET a = 1; CREATE INDEX i ON t (a)"));
    assertNull(ImplicitCommitGuard.committingHead(Dialect.H2, "UPDATE t SET a = 'x; DROP TABLE t'"));
    assertNull(ImplicitCommitGuard.committingHead(Dialect.MYSQL, "UPDATE t SET a = `x;drop`"));
    assertNull(ImplicitCommitGuard.committingHead(Dialect.H2, "UPDATE t SET a = 1 /* ; DROP TABLE t */"));
    assertNull(ImplicitCommitGuard.committingHead(Dialect.H2, "INSERT INTO created (alter_count) VALUES (1)"));
    assertNull(ImplicitCommitGuard.committingHead(Dialect.H2, "SELECT 1; ;  "));
  }

  @Test
  void eachDatabaseHasItsOwnList() {
    assertEquals("LOCK TABLES", ImplicitCommitGuard.committingHead(Dialect.MYSQL, "LOCK TABLES t WRITE"));
    assertEquals("ANALYZE TABLE", ImplicitCommitGuard.committingHead(Dialect.MYSQL, "ANALYZE TABLE t"));
    assertEquals("OPTIMIZE TABLE", ImplicitCommitGuard.committingHead(Dialect.MYSQL, "OPTIMIZE TABLE t"));
    assertEquals("RENAME TABLE", ImplicitCommitGuard.committingHead(Dialect.MYSQL, "RENAME TABLE a TO b"));
    assertEquals("START TRANSACTION", ImplicitCommitGuard.committingHead(Dialect.MYSQL, "START TRANSACTION"));
    assertEquals("SET AUTOCOMMIT", ImplicitCommitGuard.committingHead(Dialect.MYSQL, "SET autocommit = 1"));
    assertNull(ImplicitCommitGuard.committingHead(Dialect.MYSQL, "SET @x = 1"));
    // MySQL's temporary tables do not commit.
    assertNull(ImplicitCommitGuard.committingHead(Dialect.MYSQL, "CREATE TEMPORARY TABLE tmp (id INT)"));
    assertEquals("COMMENT ON", ImplicitCommitGuard.committingHead(Dialect.H2, "COMMENT ON TABLE t IS 'x'"));
    assertNull(ImplicitCommitGuard.committingHead(Dialect.H2, "LOCK TABLES t WRITE"));
    // PostgreSQL and SQLite roll DDL back with the data: nothing to refuse.
    for (Dialect transactional : new Dialect[] {Dialect.POSTGRESQL, Dialect.SQLITE}) {
      assertNull(ImplicitCommitGuard.committingHead(transactional, "CREATE TABLE t (id INT)"));
      assertFalse(transactional.commitsDdlImplicitly());
    }
    assertTrue(Dialect.H2.commitsDdlImplicitly());
    assertTrue(Dialect.MYSQL.commitsDdlImplicitly());
  }
}
