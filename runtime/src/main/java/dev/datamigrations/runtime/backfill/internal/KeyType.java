package dev.datamigrations.runtime.backfill.internal;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;

/**
 * The kinds of key column a backfill walks, how their values are read from and bound to JDBC, and
 * their tag in a stored key ({@link KeyCodec}).
 */
enum KeyType {
  /** An integer column no wider than a signed {@code BIGINT}: a {@link Long}. */
  LONG("long") {
    /**
     * Reads the value as an object, not with {@code getLong}, which reads a text or fractional
     * value that SQLite keeps in a column without {@code STRICT} as 0 or truncated: a cursor that
     * does not advance, or that jumps back. Such a value is {@link NotAnInteger}.
     */
    @Override
    Object read(ResultSet rows, int column) throws SQLException {
      Object value = rows.getObject(column);
      if (value == null) {
        return null;
      }
      if (value instanceof Long
          || value instanceof Integer
          || value instanceof Short
          || value instanceof Byte) {
        return ((Number) value).longValue();
      }
      try {
        if (value instanceof java.math.BigInteger big) {
          return big.longValueExact();
        }
        if (value instanceof java.math.BigDecimal decimal) {
          return decimal.longValueExact();
        }
      } catch (ArithmeticException outOfRange) {
        throw new NotAnInteger(value);
      }
      throw new NotAnInteger(value);
    }

    @Override
    void bind(PreparedStatement statement, int index, Object value) throws SQLException {
      statement.setLong(index, (Long) value);
    }

    @Override
    Object parse(String text) {
      return Long.parseLong(text);
    }
  },
  /** A character column: a {@link String}, compared with the column's collation. */
  TEXT("text") {
    @Override
    Object read(ResultSet rows, int column) throws SQLException {
      return rows.getString(column);
    }

    @Override
    void bind(PreparedStatement statement, int index, Object value) throws SQLException {
      statement.setString(index, (String) value);
    }

    @Override
    Object parse(String text) {
      return text;
    }
  },
  /** A UUID column (PostgreSQL's, H2's and MariaDB's {@code UUID} type): a {@link UUID}. */
  UUID_("uuid") {
    @Override
    Object read(ResultSet rows, int column) throws SQLException {
      Object value = rows.getObject(column);
      if (value == null || value instanceof UUID) {
        return value;
      }
      return UUID.fromString(value.toString());
    }

    @Override
    void bind(PreparedStatement statement, int index, Object value) throws SQLException {
      statement.setObject(index, value);
    }

    @Override
    Object parse(String text) {
      return UUID.fromString(text);
    }
  };

  /** Thrown when an integer key column holds a value that is not a {@code long}. */
  static final class NotAnInteger extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final transient Object value;

    NotAnInteger(Object value) {
      super("not an integer: " + value);
      this.value = value;
    }

    /** Returns the value, for the message. */
    Object value() {
      return value;
    }
  }

  private final String tag;

  KeyType(String tag) {
    this.tag = tag;
  }

  /** Returns the tag of this type in a stored key. */
  String tag() {
    return tag;
  }

  /** Reads a key value from {@code column} of the current row; null if it is NULL. */
  abstract Object read(ResultSet rows, int column) throws SQLException;

  /** Binds a key value of this type. */
  abstract void bind(PreparedStatement statement, int index, Object value) throws SQLException;

  /** Returns the value written as {@code text} by {@link KeyCodec}. */
  abstract Object parse(String text);

  /** Returns the type of a key value. */
  static KeyType of(Object value) {
    if (value instanceof Long) {
      return LONG;
    } else if (value instanceof String) {
      return TEXT;
    } else if (value instanceof UUID) {
      return UUID_;
    }
    throw new IllegalArgumentException("not a key value: " + value);
  }

  /** Returns the type of {@code tag}. */
  static KeyType ofTag(String tag) {
    for (KeyType type : values()) {
      if (type.tag.equals(tag)) {
        return type;
      }
    }
    throw new IllegalArgumentException("unknown key type " + tag);
  }

  /**
   * Returns the key type of a column with this JDBC type and database type name, or empty if a
   * backfill cannot walk it (decimals, floats, dates, binaries, unsigned {@code BIGINT}, {@link
   * #isEnumeration enumerations}). A column declared {@code UUID} is text where the database has no
   * UUID type (SQLite), so that its values are bound back exactly as they are stored.
   */
  static Optional<KeyType> ofColumn(int jdbcType, String typeName, boolean hasUuidType) {
    String name = typeName == null ? "" : typeName.toUpperCase(Locale.ROOT);
    if (name.equals("UUID")) {
      return Optional.of(hasUuidType ? UUID_ : TEXT);
    }
    if (name.contains("UNSIGNED") && name.contains("BIGINT") || isEnumeration(typeName)) {
      return Optional.empty();
    }
    return switch (jdbcType) {
      case Types.BIGINT, Types.INTEGER, Types.SMALLINT, Types.TINYINT -> Optional.of(LONG);
      case Types.CHAR,
          Types.VARCHAR,
          Types.LONGVARCHAR,
          Types.NCHAR,
          Types.NVARCHAR,
          Types.LONGNVARCHAR ->
          Optional.of(TEXT);
      default -> Optional.empty();
    };
  }

  /**
   * Returns whether {@code typeName} is an {@code ENUM} or a {@code SET} (MySQL, MariaDB, H2),
   * which JDBC reports as text but which sorts by the position of its values in the type's
   * declaration while comparing with a bound text value as text: the {@code ORDER BY} and the
   * {@code >} of keyset pagination would disagree, and rows would be skipped.
   */
  static boolean isEnumeration(String typeName) {
    String name = typeName == null ? "" : typeName.strip().toUpperCase(Locale.ROOT);
    return name.equals("ENUM")
        || name.startsWith("ENUM(")
        || name.startsWith("ENUM ")
        || name.equals("SET")
        || name.startsWith("SET(")
        || name.startsWith("SET ");
  }
}
