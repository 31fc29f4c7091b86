package dev.datamigrations.runtime;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The base of every exception the runtime throws; unchecked, like JDBI's. When a verb had applied
 * (or reverted) migrations before it failed, {@link #completedBefore()} lists them and the message
 * says so: they stay applied (or reverted), so a failure after partial success never reads as if
 * nothing happened.
 */
public class DataMigrationException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private List<MigrationExecution> completedBefore = List.of();

  public DataMigrationException(String message) {
    super(message);
  }

  public DataMigrationException(String message, Throwable cause) {
    super(message, cause);
  }

  /**
   * Returns what the verb that threw this completed before the failure, in order: migrations
   * applied by {@code migrate}/{@code up} (backfills included), or reverted by {@code down}/{@code
   * rollback}. Their changes and history rows are committed and stay. Empty when the failure came
   * before any of them.
   */
  public List<MigrationExecution> completedBefore() {
    return completedBefore;
  }

  /**
   * Records that {@code earlier} completed before whatever this exception already lists; called by
   * the runner as the exception leaves each stage of a verb. Returns this exception.
   */
  public DataMigrationException addCompletedBefore(List<MigrationExecution> earlier) {
    if (!earlier.isEmpty()) {
      List<MigrationExecution> all = new ArrayList<>(earlier);
      all.addAll(completedBefore);
      completedBefore = List.copyOf(all);
    }
    return this;
  }

  /** Returns the message, followed by what the verb completed before the failure, if anything. */
  @Override
  public String getMessage() {
    String message = super.getMessage();
    if (completedBefore.isEmpty()) {
      return message;
    }
    return message + " " + describeCompleted(completedBefore);
  }

  /**
   * Returns {@code Before this failure, this run applied 2 data migrations, which stay applied:
   * ...}.
   */
  static String describeCompleted(List<MigrationExecution> completed) {
    StringBuilder text = new StringBuilder("Before this failure, this run ");
    List<String> parts = new ArrayList<>();
    for (Direction direction : Direction.values()) {
      List<MigrationExecution> some =
          completed.stream().filter(e -> e.direction() == direction).toList();
      if (!some.isEmpty()) {
        String done = direction == Direction.UP ? "applied" : "reverted";
        boolean one = some.size() == 1;
        parts.add(
            done
                + " "
                + some.size()
                + (one ? " data migration, which stays " : " data migrations, which stay ")
                + done
                + ": "
                + some.stream()
                    .map(e -> e.migration().toString())
                    .collect(Collectors.joining(", ")));
      }
    }
    return text.append(String.join("; and ", parts)).append('.').toString();
  }
}
