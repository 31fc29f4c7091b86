package dev.datamigrations.processor.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Derives a description from a class name when {@code @DataMigration} gives none: the simple name
 * split into words, the first capitalized, the rest lower case except acronyms, which are kept as
 * written ({@code UpdatePhoneNumbers} becomes "Update phone numbers", {@code BackfillURLs2024}
 * "Backfill URLs 2024", {@code Fix_user_names} "Fix user names"). No suffix is stripped.
 */
public final class Descriptions {
  // An acronym with a plural s ("URLs"), an acronym ("HTML" in "HTMLParser"), a word, or a number.
  private static final Pattern WORD =
      Pattern.compile("[A-Z]{2,}s(?![a-z])|[A-Z]+(?![a-z])|[A-Z]?[a-z]+|[0-9]+");

  private Descriptions() {}

  /** Returns the description derived from {@code simpleName}. */
  public static String fromClassName(String simpleName) {
    List<String> words = new ArrayList<>();
    Matcher matcher = WORD.matcher(simpleName);
    while (matcher.find()) {
      words.add(matcher.group());
    }
    if (words.isEmpty()) {
      return simpleName;
    }
    StringBuilder description = new StringBuilder();
    for (int i = 0; i < words.size(); i++) {
      String word = words.get(i);
      if (i > 0) {
        description.append(' ');
        description.append(isAcronym(word) ? word : word.toLowerCase(Locale.ROOT));
      } else {
        description.append(Character.toUpperCase(word.charAt(0))).append(word.substring(1));
      }
    }
    return description.toString();
  }

  private static boolean isAcronym(String word) {
    return word.length() > 1 && Character.isUpperCase(word.charAt(1));
  }
}
