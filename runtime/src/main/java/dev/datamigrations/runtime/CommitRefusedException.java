package dev.datamigrations.runtime;

/**
 * Thrown, before the statement or call runs, when a transactional migration would commit (or end)
 * its transaction before the runner commits it with its history row: DDL or another statement that
 * commits implicitly on a database that does so (H2, MySQL, MariaDB), or, on every database, an
 * explicit {@code COMMIT}, {@code ROLLBACK} (not {@code ROLLBACK TO SAVEPOINT}), {@code
 * Connection.commit()}, {@code rollback()} or {@code setAutoCommit(true)}. Running it would commit
 * (or drop) the migration's earlier changes apart from its history row, and a later failure could
 * not roll them back. The run then fails with a {@link MigrationFailedException} whose cause is
 * this one, and the migration's earlier changes are rolled back.
 */
public class CommitRefusedException extends MigrationRefusedException {
  private static final long serialVersionUID = 1L;

  private final String statement;

  /**
   * @param statement the statement's first words, as the message shows them (never the whole text,
   *     which may hold values)
   */
  public CommitRefusedException(String message, String statement) {
    super(message);
    this.statement = statement;
  }

  /**
   * Returns the refused statement's first words, e.g. {@code CREATE TABLE}, or the call, e.g.
   * {@code commit()}.
   */
  public String statement() {
    return statement;
  }
}
