package dev.datamigrations.runtime;

/**
 * Thrown by the verbs that write the history by hand ({@link MigrationRunner#baseline}, {@link
 * MigrationRunner#markApplied}, {@link MigrationRunner#skip}, {@link MigrationRunner#unmark},
 * {@link MigrationRunner#acceptChecksum}) when the row they would write would not be true: a
 * version the code does not know, one already applied, a baseline over existing history, a backfill
 * in progress, a run that {@code unmark} would hide, a missing reason. Nothing was changed.
 */
public class HistoryEditRefusedException extends MigrationRefusedException {
  private static final long serialVersionUID = 1L;

  public HistoryEditRefusedException(String message) {
    super(message);
  }
}
