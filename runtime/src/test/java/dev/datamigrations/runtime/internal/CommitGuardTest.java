package dev.datamigrations.runtime.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * How SQL is classified: the first keywords of each statement, after comments, whitespace and
 * parentheses.
 */
class CommitGuardTest {

  @Test
  void findsDdlAfterCommentsWhitespaceAndParenthesesInAnyCase() {
    assertEquals("CREATE TABLE", CommitGuard.committingHead(Dialect.H2, "create table t (id int)"));
    assertEquals(
        "ALTER TABLE",
        CommitGuard.committingHead(
            Dialect.H2, "-- why\n /* block */ ( \n\tAlter TABLE t ADD c INT"));
    assertEquals(
        "TRUNCATE TABLE", CommitGuard.committingHead(Dialect.MYSQL, "# note\nTRUNCATE TABLE t"));
    assertEquals("DROP", CommitGuard.committingHead(Dialect.MYSQL, "DROP"));
  }

  @Test
  void looksAtEveryStatementButNotInsideQuotesOrComments() {
    assertEquals(
        "CREATE INDEX",
        CommitGuard.committingHead(Dialect.H2, "UPDATE t SET a = 1; CREATE INDEX i ON t (a)"));
    assertNull(CommitGuard.committingHead(Dialect.H2, "UPDATE t SET a = 'x; DROP TABLE t'"));
    assertNull(CommitGuard.committingHead(Dialect.MYSQL, "UPDATE t SET a = `x;drop`"));
    assertNull(CommitGuard.committingHead(Dialect.H2, "UPDATE t SET a = 1 /* ; DROP TABLE t */"));
    assertNull(
        CommitGuard.committingHead(Dialect.H2, "INSERT INTO created (alter_count) VALUES (1)"));
    assertNull(CommitGuard.committingHead(Dialect.H2, "SELECT 1; ;  "));
  }

  @Test
  void eachDatabaseHasItsOwnList() {
    assertEquals("LOCK TABLES", CommitGuard.committingHead(Dialect.MYSQL, "LOCK TABLES t WRITE"));
    assertEquals("ANALYZE TABLE", CommitGuard.committingHead(Dialect.MYSQL, "ANALYZE TABLE t"));
    assertEquals("OPTIMIZE TABLE", CommitGuard.committingHead(Dialect.MYSQL, "OPTIMIZE TABLE t"));
    assertEquals("RENAME TABLE", CommitGuard.committingHead(Dialect.MYSQL, "RENAME TABLE a TO b"));
    assertEquals(
        "START TRANSACTION", CommitGuard.committingHead(Dialect.MYSQL, "START TRANSACTION"));
    assertEquals("SET AUTOCOMMIT", CommitGuard.committingHead(Dialect.MYSQL, "SET autocommit = 1"));
    assertNull(CommitGuard.committingHead(Dialect.MYSQL, "SET @x = 1"));
    assertEquals(
        "SET SESSION", CommitGuard.committingHead(Dialect.MYSQL, "SET SESSION autocommit = 1"));
    assertEquals("SET", CommitGuard.committingHead(Dialect.MYSQL, "SET @@session.autocommit = ON"));
    assertEquals(
        "SET SQL_MODE",
        CommitGuard.committingHead(Dialect.MYSQL, "SET sql_mode = '', autocommit = 1"));
    assertNull(
        CommitGuard.committingHead(
            Dialect.MYSQL, "SET SESSION sql_mode = ''; SELECT autocommit_count"));
    // MySQL's temporary tables do not commit.
    assertNull(CommitGuard.committingHead(Dialect.MYSQL, "CREATE TEMPORARY TABLE tmp (id INT)"));
    assertEquals("COMMENT ON", CommitGuard.committingHead(Dialect.H2, "COMMENT ON TABLE t IS 'x'"));
    assertNull(CommitGuard.committingHead(Dialect.H2, "LOCK TABLES t WRITE"));
    // PostgreSQL and SQLite roll DDL back with the data: nothing to refuse.
    for (Dialect transactional : new Dialect[] {Dialect.POSTGRESQL, Dialect.SQLITE}) {
      assertNull(CommitGuard.committingHead(transactional, "CREATE TABLE t (id INT)"));
      assertFalse(transactional.commitsDdlImplicitly());
    }
    assertTrue(Dialect.H2.commitsDdlImplicitly());
    assertTrue(Dialect.MYSQL.commitsDdlImplicitly());
  }

  @Test
  void statementsThatEndTheTransactionAreFoundOnEveryDatabaseButSavepointsPass() {
    for (Dialect dialect : Dialect.values()) {
      assertEquals("COMMIT", CommitGuard.committingHead(dialect, "COMMIT"), dialect.name());
      assertEquals("ROLLBACK", CommitGuard.committingHead(dialect, "rollback"), dialect.name());
      assertEquals(
          "END TRANSACTION",
          CommitGuard.committingHead(dialect, "END TRANSACTION"),
          dialect.name());
      assertNull(CommitGuard.committingHead(dialect, "ROLLBACK TO SAVEPOINT s1"), dialect.name());
      assertNull(CommitGuard.committingHead(dialect, "SAVEPOINT s1"), dialect.name());
      assertNull(CommitGuard.committingHead(dialect, "UPDATE t SET committed = 1"), dialect.name());
    }
  }

  @Test
  void quotesAreReadAsEachDatabaseReadsThem() {
    // PL/pgSQL bodies are dollar-quoted: their statements and the END of their block are not the
    // migration's.
    assertNull(
        CommitGuard.committingHead(Dialect.POSTGRESQL, "DO $$ BEGIN UPDATE t SET a = 1; END $$"));
    assertNull(
        CommitGuard.committingHead(
            Dialect.POSTGRESQL,
            "CREATE FUNCTION f() RETURNS void AS $fn$ BEGIN COMMIT; END; $fn$ LANGUAGE plpgsql"));
    assertEquals("COMMIT", CommitGuard.committingHead(Dialect.POSTGRESQL, "SELECT $1; COMMIT"));
    assertEquals(
        "COMMIT",
        CommitGuard.committingHead(Dialect.POSTGRESQL, "DO $$ BEGIN NULL; END $$; COMMIT"));
    // A backslash ends nothing but a MySQL string: elsewhere 'C:\' is a whole string, and the
    // COMMIT after it runs.
    for (Dialect dialect : new Dialect[] {Dialect.POSTGRESQL, Dialect.H2, Dialect.SQLITE}) {
      assertEquals(
          "COMMIT",
          CommitGuard.committingHead(dialect, "UPDATE t SET p = 'C:\\'; COMMIT"),
          dialect.name());
    }
    assertNull(CommitGuard.committingHead(Dialect.MYSQL, "UPDATE t SET p = 'it\\'s; COMMIT'"));
    // '$' is part of a MySQL name, not a quote: the DROP after it is still found.
    assertEquals(
        "DROP TABLE",
        CommitGuard.committingHead(Dialect.MYSQL, "UPDATE a$b$ SET x = 1; DROP TABLE a$b$"));
  }

  @Test
  void twoPhaseCommitsPrepareIsRefusedAndAPreparedStatementIsNot() {
    assertEquals(
        "PREPARE TRANSACTION",
        CommitGuard.committingHead(
            Dialect.POSTGRESQL, "UPDATE t SET a = 1; PREPARE TRANSACTION 'x'"));
    assertEquals("PREPARE COMMIT", CommitGuard.committingHead(Dialect.H2, "PREPARE COMMIT tx1"));
    assertNull(CommitGuard.committingHead(Dialect.POSTGRESQL, "PREPARE find (int) AS SELECT $1"));
    assertNull(CommitGuard.committingHead(Dialect.MYSQL, "PREPARE stmt FROM 'SELECT 1'"));
  }
}
