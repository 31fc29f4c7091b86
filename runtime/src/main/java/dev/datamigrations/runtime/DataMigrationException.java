package dev.datamigrations.runtime;

/** The base of every exception the runtime throws; unchecked, like JDBI's. */
public class DataMigrationException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public DataMigrationException(String message) {
    super(message);
  }

  public DataMigrationException(String message, Throwable cause) {
    super(message, cause);
  }
}
