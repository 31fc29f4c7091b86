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

  /** Returns the tokens of {@code source}, in order. */
  static List<String> of(CharSequence source) {
    String text = source.toString();
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
