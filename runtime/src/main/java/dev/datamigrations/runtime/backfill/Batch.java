package dev.datamigrations.runtime.backfill;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One batch of a {@link Backfill} or {@link QueryBackfill}: a range of keys, both ends included, as
 * split when the batch was handed out. For the usual single integer key, {@link #first()} and
 * {@link #last()} are the ends; for a composite or non-integer key, {@link #firstKey()} and {@link
 * #lastKey()} (or {@link #first(int)}, {@link #last(int)}) give the tuples, and {@link
 * #parameters()} binds them to {@link KeyRange#condition()}.
 *
 * @param number the batch's number, from 1, in key order
 * @param firstKey the lowest key of the batch
 * @param lastKey the highest key of the batch
 * @param size how many keys the range held when it was split
 */
public record Batch(long number, Key firstKey, Key lastKey, long size) {

  /** A batch of a single integer key, from {@code first} to {@code last}. */
  public Batch(long number, long first, long last, long size) {
    this(number, Key.of(first), Key.of(last), size);
  }

  /**
   * Returns the lowest key of a batch over a single integer key column.
   *
   * @throws IllegalStateException if the key is composite or not an integer: use {@link
   *     #firstKey()}
   */
  public long first() {
    return single(firstKey, "first");
  }

  /**
   * Returns the highest key of a batch over a single integer key column.
   *
   * @throws IllegalStateException if the key is composite or not an integer: use {@link #lastKey()}
   */
  public long last() {
    return single(lastKey, "last");
  }

  /** Returns the value of key column {@code column} (from 0) in the batch's lowest key. */
  public Object first(int column) {
    return firstKey.get(column);
  }

  /** Returns the value of key column {@code column} (from 0) in the batch's highest key. */
  public Object last(int column) {
    return lastKey.get(column);
  }

  /**
   * Returns the named parameters of {@link KeyRange#condition()}: {@code first_0}, {@code first_1},
   * ... and {@code last_0}, {@code last_1}, ..., one per key column; bind them with JDBI's {@code
   * bindMap}.
   */
  public Map<String, Object> parameters() {
    Map<String, Object> parameters = new LinkedHashMap<>();
    for (int i = 0; i < firstKey.size(); i++) {
      parameters.put("first_" + i, firstKey.get(i));
    }
    for (int i = 0; i < lastKey.size(); i++) {
      parameters.put("last_" + i, lastKey.get(i));
    }
    return parameters;
  }

  /**
   * Returns {@code Batch[number=1, first=-5, last=3, size=4]} for one integer key (as before
   * composite keys existed), else {@code Batch[number=1, firstKey=('a', 7), lastKey=('b', 2),
   * size=4]}.
   */
  @Override
  public String toString() {
    boolean integer =
        firstKey.size() == 1 && firstKey.get(0) instanceof Long && lastKey.get(0) instanceof Long;
    String ends =
        integer
            ? "first=" + firstKey + ", last=" + lastKey
            : "firstKey=" + firstKey + ", lastKey=" + lastKey;
    return "Batch[number=" + number + ", " + ends + ", size=" + size + "]";
  }

  private long single(Key key, String end) {
    if (key.size() != 1 || !(key.get(0) instanceof Long value)) {
      throw new IllegalStateException(
          "Batch "
              + number
              + " is a range of "
              + (key.size() == 1 ? "non-integer" : "composite")
              + " keys: use "
              + end
              + "Key() or "
              + end
              + "(column) instead of "
              + end
              + "()");
    }
    return value;
  }
}
