package dev.datamigrations.processor.internal;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits Java source text into its tokens, dropping what the compiler drops: whitespace, line
 * breaks, {@code //} and {@code /* ... *}{@code /} comments, javadoc included. A token is an
 * identifier, keyword or number (a run of Java identifier characters), a string, text-block or
 * character literal written as in the source (escapes unexpanded), or an operator or separator.
 *
 * <p>Operators are read longest first ({@code ++}, {@code ->}, {@code >>>=}), so that {@code i++ +
 * j} and {@code i + ++j} differ; only {@code >} always stands alone, because a formatter may write
 * {@code List<List<String>>} or {@code List<List<String> >} and javac reads both the same way. Our
 * own lexer rather than javac's (an internal API), so that a checksum does not change with the JDK
 * that compiles it.
 */
final class JavaTokens {
  private static final String[] OPERATORS = {
    "<<=", "...", "->", "::", "++", "--", "&&", "||", "==", "!=", "<=", "+=", "-=", "*=", "/=",
    "&=", "|=", "^=", "%=", "<<"
  };

  private JavaTokens() {}

  /**
   * Returns the tokens of {@code source}, in order, read after its Unicode escapes are translated,
   * as javac reads them (JLS 3.3): a comment hiding code behind an escaped line break ({@code
   * \\u000a}) or comment end ({@code *\\u002f}) is seen as the code it is.
   */
  static List<String> of(CharSequence source) {
    String text = translateUnicodeEscapes(source.toString());
    List<String> tokens = new ArrayList<>();
    int i = 0;
    int n = text.length();
    while (i < n) {
      char c = text.charAt(i);
      if (Character.isWhitespace(c)) {
        i++;
      } else if (text.startsWith("//", i)) {
        int end = text.indexOf('\n', i);
        i = end < 0 ? n : end + 1;
      } else if (text.startsWith("/*", i)) {
        int end = text.indexOf("*/", i + 2);
        i = end < 0 ? n : end + 2;
      } else if (text.startsWith("\"\"\"", i)) {
        int end = quoted(text, i + 3, "\"\"\"");
        tokens.add(text.substring(i, end));
        i = end;
      } else if (c == '"' || c == '\'') {
        int end = quoted(text, i + 1, String.valueOf(c));
        tokens.add(text.substring(i, end));
        i = end;
      } else if (Character.isJavaIdentifierPart(c)) {
        int end = i + 1;
        while (end < n && Character.isJavaIdentifierPart(text.charAt(end))) {
          end++;
        }
        tokens.add(text.substring(i, end));
        i = end;
      } else {
        String operator = String.valueOf(c);
        if (c != '>') {
          for (String candidate : OPERATORS) {
            if (text.startsWith(candidate, i)) {
              operator = candidate;
              break;
            }
          }
        }
        tokens.add(operator);
        i += operator.length();
      }
    }
    return tokens;
  }

  /**
   * Replaces each Unicode escape ({@code \\}, one or more {@code u}, four hex digits) by its
   * character, where the backslash is preceded by an even number of backslashes; a malformed one is
   * kept as written (javac rejects it anyway). A backslash an escape produced starts no other one.
   */
  static String translateUnicodeEscapes(String text) {
    if (text.indexOf('\\') < 0) {
      return text;
    }
    StringBuilder out = new StringBuilder(text.length());
    int backslashes = 0; // contiguous backslashes written just before i
    int i = 0;
    while (i < text.length()) {
      char c = text.charAt(i);
      if (c == '\\' && backslashes % 2 == 0) {
        int hex = i + 1;
        while (hex < text.length() && text.charAt(hex) == 'u') {
          hex++;
        }
        if (hex > i + 1 && isHex(text, hex)) {
          out.append((char) Integer.parseInt(text.substring(hex, hex + 4), 16));
          i = hex + 4;
          backslashes = 0;
          continue;
        }
      }
      backslashes = c == '\\' ? backslashes + 1 : 0;
      out.append(c);
      i++;
    }
    return out.toString();
  }

  private static boolean isHex(String text, int from) {
    if (from + 4 > text.length()) {
      return false;
    }
    for (int i = from; i < from + 4; i++) {
      char c = text.charAt(i);
      if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F')) {
        return false;
      }
    }
    return true;
  }

  /**
   * Returns the index after the {@code close} that ends a literal whose content starts at {@code
   * i}.
   */
  private static int quoted(String text, int i, String close) {
    while (i < text.length()) {
      if (text.charAt(i) == '\\') {
        i += 2;
      } else if (text.startsWith(close, i)) {
        return i + close.length();
      } else {
        i++;
      }
    }
    return text.length();
  }
}
