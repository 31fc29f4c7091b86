package dev.datamigrations.processor.internal;

import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.format.ResolverStyle;
import java.util.List;
import javax.tools.Diagnostic;

/**
 * Checks one migration's version on its own: positive, and when it has 14 digits, a real {@code
 * yyyyMMddHHmmss} date-time. Other lengths are sequence numbers and are fine.
 */
public final class VersionValueValidator {
  private static final DateTimeFormatter TIMESTAMP =
      DateTimeFormatter.ofPattern("uuuuMMddHHmmss").withResolverStyle(ResolverStyle.STRICT);

  /** Returns whether {@code version} has the 14 digits of a {@code yyyyMMddHHmmss} timestamp. */
  public static boolean isTimestampShaped(long version) {
    return version >= 10_000_000_000_000L && version <= 99_999_999_999_999L;
  }

  /**
   * Returns the errors of {@code migration}'s version; empty if it is fine or javac could not read
   * it.
   */
  public List<Finding> validate(MigrationClass migration) {
    if (migration.version().isEmpty()) {
      return List.of();
    }
    long version = migration.version().getAsLong();
    if (version <= 0) {
      return List.of(error(migration, Messages.VERSION_NOT_POSITIVE.format(version)));
    }
    if (isTimestampShaped(version) && !isDateTime(version)) {
      return List.of(error(migration, Messages.VERSION_NOT_A_DATE_TIME.format(version)));
    }
    return List.of();
  }

  private static boolean isDateTime(long version) {
    try {
      LocalDateTime.parse(Long.toString(version), TIMESTAMP);
      return true;
    } catch (DateTimeParseException e) {
      return false;
    }
  }

  private static Finding error(MigrationClass migration, String message) {
    return Finding.onValue(
        Diagnostic.Kind.ERROR,
        migration.type(),
        migration.annotation(),
        migration.versionValue(),
        message);
  }
}
