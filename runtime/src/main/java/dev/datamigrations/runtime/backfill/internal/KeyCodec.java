package dev.datamigrations.runtime.backfill.internal;

import dev.datamigrations.runtime.backfill.Key;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes a key tuple as text for the backfill tables, and reads it back exactly: a JSON array of
 * strings, each the value's type tag and its text, e.g. {@code ["long:7","text:O'Brien \"Jr\""]} or
 * {@code ["uuid:0b6c…"]}. Readable in the table, and independent of the database's own collation
 * and types: the values are compared only by the database, after being bound with their types
 * again.
 */
final class KeyCodec {
  private KeyCodec() {}

  static String encode(Key key) {
    StringBuilder json = new StringBuilder("[");
    for (int i = 0; i < key.size(); i++) {
      Object value = key.get(i);
      if (i > 0) {
        json.append(',');
      }
      quote(json, KeyType.of(value).tag() + ":" + value);
    }
    return json.append(']').toString();
  }

  static Key decode(String text) {
    List<String> items = new Parser(text).array();
    List<Object> values = new ArrayList<>(items.size());
    for (String item : items) {
      int colon = item.indexOf(':');
      if (colon < 0) {
        throw new IllegalArgumentException("not a stored key: " + text);
      }
      values.add(KeyType.ofTag(item.substring(0, colon)).parse(item.substring(colon + 1)));
    }
    return new Key(values);
  }

  private static void quote(StringBuilder json, String value) {
    json.append('"');
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      switch (c) {
        case '"' -> json.append("\\\"");
        case '\\' -> json.append("\\\\");
        case '\n' -> json.append("\\n");
        case '\r' -> json.append("\\r");
        case '\t' -> json.append("\\t");
        default -> {
          if (c < 0x20) {
            json.append(String.format("\\u%04x", (int) c));
          } else {
            json.append(c);
          }
        }
      }
    }
    json.append('"');
  }

  /** Reads a JSON array of strings, the only JSON this class writes. */
  private static final class Parser {
    private final String text;
    private int at;

    Parser(String text) {
      this.text = text;
    }

    List<String> array() {
      List<String> items = new ArrayList<>();
      expect('[');
      if (peek() == ']') {
        at++;
      } else {
        while (true) {
          items.add(string());
          char next = next();
          if (next == ']') {
            break;
          } else if (next != ',') {
            throw error();
          }
        }
      }
      if (at != text.length()) {
        throw error();
      }
      return items;
    }

    private String string() {
      expect('"');
      StringBuilder value = new StringBuilder();
      while (true) {
        char c = next();
        if (c == '"') {
          return value.toString();
        }
        if (c != '\\') {
          value.append(c);
          continue;
        }
        char escaped = next();
        switch (escaped) {
          case '"', '\\', '/' -> value.append(escaped);
          case 'n' -> value.append('\n');
          case 'r' -> value.append('\r');
          case 't' -> value.append('\t');
          case 'b' -> value.append('\b');
          case 'f' -> value.append('\f');
          case 'u' -> {
            if (at + 4 > text.length()) {
              throw error();
            }
            value.append((char) Integer.parseInt(text.substring(at, at + 4), 16));
            at += 4;
          }
          default -> throw error();
        }
      }
    }

    private void expect(char c) {
      if (next() != c) {
        throw error();
      }
    }

    private char peek() {
      if (at >= text.length()) {
        throw error();
      }
      return text.charAt(at);
    }

    private char next() {
      char c = peek();
      at++;
      return c;
    }

    private IllegalArgumentException error() {
      return new IllegalArgumentException("not a stored key at character " + at + ": " + text);
    }
  }
}
