package dev.datamigrations.runtime;

/**
 * Thrown, before the statement runs, when a transactional migration sends DDL (or another statement that commits
 * implicitly) through its handle on a database that commits such statements implicitly (H2, MySQL, MariaDB):
 * running it would commit the migration's earlier changes without its history row, so a later failure could not
 * roll them back. The run then fails with a {@link MigrationFailedException} whose cause is this one, and the
 * migration's earlier changes are rolled back.
 */
public class ImplicitCommitRefusedException extends DataMigrationException {
  private static final long serialVersionUID = 1L;

  private final String statement;

  /**
   * @param statement the statement's first words, as the message shows them (never the whole text, which may
   *     hold values)
   */
  public ImplicitCommitRefusedException(String message, String statement) {
    super(message);
    this.statement = statement;
  }

  /** Returns the refused statement's first words, e.g. {@code CREATE TABLE}. */
  public String statement() {
    return statement;
  }
}
