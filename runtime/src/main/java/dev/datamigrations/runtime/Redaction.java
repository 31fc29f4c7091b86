package dev.datamigrations.runtime;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Masks credentials in text about to be shown or logged: JDBC URLs and driver messages. Shared by
 * the runtime, the command line and the console. What it masks, with {@value #MASK}:
 *
 * <ul>
 *   <li>the password of user-info, {@code //user:secret@host} (the user stays) and Oracle's {@code
 *       jdbc:oracle:thin:user/secret@host};
 *   <li>the value of every {@code name=value} setting (URL query {@code ?a=b&c=d}, {@code ;a=b}
 *       settings, MariaDB's {@code address=(host=...)(password=...)}) whose name contains {@code
 *       password}, {@code passwd}, {@code pwd}, {@code secret}, {@code token} or {@code
 *       credential}; or contains {@code key}, unless it names a file or its kind ({@code sslkey},
 *       {@code keyStore}, names ending in {@code file}, {@code path}, {@code location}, {@code
 *       store}, {@code type}): a key's path helps to debug and is no secret, an API or private key
 *       is;
 *   <li>a quoted SQL literal given as a password: {@code PASSWORD '...'}, {@code PASSWORD('...')},
 *       {@code password = '...'}, {@code IDENTIFIED [WITH plugin] BY '...'}, {@code IDENTIFIED VIA
 *       plugin USING '...'}, whole;
 *   <li>every literal occurrence (and its URL-encoded form) of the secrets passed in, such as the
 *       configured password, wherever a driver echoes it; secrets shorter than 4 characters are not
 *       searched for literally (they would mask unrelated text), only in the forms above.
 * </ul>
 *
 * <p>Hosts, ports, database names and every other setting stay, so that the text still says what
 * was reached.
 */
public final class Redaction {
  /** What replaces a secret. */
  public static final String MASK = "***";

  private static final int SHORTEST_LITERAL = 4;

  /**
   * {@code //user:password@}: the password runs to the last {@code @} before a query ({@code ?},
   * {@code ;}, {@code #}) or whitespace, so that one typed with {@code /} or {@code @} in it is
   * masked whole; a port and a path followed by a query with an {@code @} in it ({@code
   * //db:5432/orders?x=a@b}) stay.
   */
  private static final Pattern USER_INFO = Pattern.compile("(//[^:/@\\s?;]*):([^\\s?;#]*)@");

  private static final Pattern ORACLE_USER_INFO =
      Pattern.compile("(?i)(jdbc:oracle:[a-z]+:[^/@\\s:]+)/([^@\\s]*)@");

  /**
   * {@code name=value}; a comma ends the value only before whitespace ({@code {password=x,
   * user=y}}); SQL Server's braces quote a value with {@code ;} in it ({@code password={a;b}},
   * {@code }}} inside for a brace). A name starts only where no name character precedes it, and the
   * quantifiers are possessive: the time is linear in the text and the regex engine does not
   * recurse per character, so that a megabyte of hex in an exception message (a name that never
   * meets an {@code =}) takes milliseconds, not hours, and a long value no stack overflow.
   */
  private static final Pattern SETTING =
      Pattern.compile(
          "(?<![A-Za-z0-9_.\\-])([A-Za-z0-9_.\\-]++)(\\s*+=\\s*+)"
              + "(\\{(?:[^}]++|\\}\\})*+\\}|[^&;)\\s,]*+(?:,(?!\\s)[^&;)\\s,]*+)*+)");

  /**
   * A quoted SQL literal given as a password: after {@code PASSWORD} (PostgreSQL's and H2's {@code
   * PASSWORD '...'}, MySQL's {@code PASSWORD('...')}, {@code password = '...'}) or after {@code
   * IDENTIFIED ... BY}, {@code USING} or {@code AS} (MySQL, MariaDB). The literal is masked whole,
   * spaces and doubled or escaped quotes included, to its closing quote or the end of the text (a
   * cut text); possessively, as {@link #SETTING}.
   */
  private static final Pattern SQL_PASSWORD =
      Pattern.compile(
          "(?i)((?<![A-Za-z0-9_$])(?:PASSWORD|IDENTIFIED(?:\\s+\\w+){0,3}?\\s+(?:BY|USING|AS))"
              + "(?:\\s+PASSWORD)?\\s*(?:=\\s*)?(?:PASSWORD\\s*)?(?:\\(\\s*)?)"
              + "('(?:[^'\\\\]++|''|\\\\.)*+(?:'|$)|\"(?:[^\"\\\\]++|\"\"|\\\\.)*+(?:\"|$))");

  private Redaction() {}

  /**
   * Returns {@code text} with credentials masked; {@code secrets} (nulls allowed) are masked
   * wherever they occur.
   */
  public static String redact(String text, String... secrets) {
    if (text == null) {
      return null;
    }
    String result = text;
    for (String secret : secrets) {
      if (secret != null && secret.length() >= SHORTEST_LITERAL) {
        result = result.replace(secret, MASK);
        String encoded = URLEncoder.encode(secret, StandardCharsets.UTF_8);
        if (!encoded.equals(secret)) {
          result = result.replace(encoded, MASK);
        }
      }
    }
    result =
        SQL_PASSWORD.matcher(result).replaceAll(m -> Matcher.quoteReplacement(m.group(1) + MASK));
    result =
        USER_INFO
            .matcher(result)
            .replaceAll(m -> Matcher.quoteReplacement(m.group(1) + ":" + MASK + "@"));
    result =
        ORACLE_USER_INFO
            .matcher(result)
            .replaceAll(m -> Matcher.quoteReplacement(m.group(1) + "/" + MASK + "@"));
    return SETTING
        .matcher(result)
        .replaceAll(
            m ->
                Matcher.quoteReplacement(
                    isSecretName(m.group(1)) && !m.group(3).isEmpty() && !m.group(3).equals(MASK)
                        ? m.group(1) + m.group(2) + MASK
                        : m.group()));
  }

  /** Returns whether a setting of this name holds a secret; see the class comment. */
  public static boolean isSecretName(String name) {
    String lower = name.toLowerCase(Locale.ROOT);
    for (String secret :
        new String[] {"password", "passwd", "pwd", "secret", "token", "credential"}) {
      if (lower.contains(secret)) {
        return true;
      }
    }
    if (!lower.contains("key")) {
      return false;
    }
    if (lower.equals("sslkey")) {
      return false;
    }
    for (String path : new String[] {"file", "path", "location", "store", "type"}) {
      if (lower.endsWith(path)) {
        return false;
      }
    }
    return true;
  }
}
