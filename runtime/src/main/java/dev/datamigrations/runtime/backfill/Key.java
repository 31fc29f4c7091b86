package dev.datamigrations.runtime.backfill;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * One key of a walked table, as a tuple of its key columns' values in {@link KeyRange#keyColumns()}
 * order: a {@link Long} for an integer column, a {@link String} for a text column, a {@link UUID}
 * for a UUID column. Never holds NULL (a key column is NOT NULL).
 *
 * @param values the values, one per key column
 */
public record Key(List<Object> values) {

  public Key {
    Objects.requireNonNull(values, "values");
    List<Object> normalized = new ArrayList<>(values.size());
    for (Object value : values) {
      normalized.add(normalize(value));
    }
    if (normalized.isEmpty()) {
      throw new IllegalArgumentException("A key has at least one column");
    }
    values = List.copyOf(normalized);
  }

  /** Returns the key of these values (an {@code int} is taken as a {@code long}). */
  public static Key of(Object... values) {
    return new Key(List.of(values));
  }

  /** Returns how many columns the key has. */
  public int size() {
    return values.size();
  }

  /** Returns the value of key column {@code column} (from 0). */
  public Object get(int column) {
    return values.get(column);
  }

  /** Returns the value of integer key column {@code column}. */
  public long getLong(int column) {
    return as(column, Long.class);
  }

  /** Returns the value of text key column {@code column}. */
  public String getString(int column) {
    return as(column, String.class);
  }

  /** Returns the value of UUID key column {@code column}. */
  public UUID getUuid(int column) {
    return as(column, UUID.class);
  }

  private <T> T as(int column, Class<T> type) {
    Object value = values.get(column);
    if (!type.isInstance(value)) {
      throw new IllegalStateException(
          "Key column "
              + column
              + " of "
              + this
              + " is a "
              + value.getClass().getSimpleName()
              + ", not a "
              + type.getSimpleName());
    }
    return type.cast(value);
  }

  /**
   * Returns the value alone for a one-column key ({@code 42}, {@code 'O''Brien'}), else the tuple
   * ({@code (7, 'abc')}); text in SQL quotes.
   */
  @Override
  public String toString() {
    StringBuilder text = new StringBuilder(values.size() == 1 ? "" : "(");
    for (int i = 0; i < values.size(); i++) {
      if (i > 0) {
        text.append(", ");
      }
      Object value = values.get(i);
      text.append(
          value instanceof Long
              ? value.toString()
              : "'" + value.toString().replace("'", "''") + "'");
    }
    return text.append(values.size() == 1 ? "" : ")").toString();
  }

  private static Object normalize(Object value) {
    Objects.requireNonNull(value, "a key value is never null");
    if (value instanceof Integer || value instanceof Short || value instanceof Byte) {
      return ((Number) value).longValue();
    }
    if (value instanceof Long || value instanceof String || value instanceof UUID) {
      return value;
    }
    throw new IllegalArgumentException(
        "A key value is a Long, a String or a UUID, not a " + value.getClass().getName());
  }
}
