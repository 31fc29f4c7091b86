package dev.datamigrations.runtime.backfill.internal;

import dev.datamigrations.runtime.Redaction;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;

/**
 * What is kept of a failed batch's exception, whatever {@code process} threw: its causes without
 * looping on a cycle ({@code Throwable.initCause} refuses only a throwable as its own cause), a
 * stack trace written without recursion and cut at its bound (a cause chain of any depth), and text
 * every database stores: credentials masked, cut to a bound without splitting a character, with no
 * NUL (PostgreSQL refuses it in text) nor half of a surrogate pair.
 */
final class FailureText {
  /** The most causes looked at: far more than any real chain, few enough to walk at once. */
  static final int MAX_CAUSES = 1000;

  private FailureText() {}

  /**
   * Returns {@code failure} and its causes, outermost first, each once, at most {@value
   * #MAX_CAUSES}.
   */
  static List<Throwable> causes(Throwable failure) {
    List<Throwable> causes = new ArrayList<>();
    Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
    for (Throwable t = failure; t != null && causes.size() < MAX_CAUSES && seen.add(t); ) {
      causes.add(t);
      t = t.getCause();
    }
    return causes;
  }

  /**
   * Returns the message of {@code failure}, masked and storable, at most {@code max} characters.
   */
  static String message(Throwable failure, int max) {
    String message = failure.getMessage();
    return message == null ? null : storable(message, max);
  }

  /** Returns {@code ClassName: message}, masked and storable, at most {@code max} characters. */
  static String summary(Throwable failure, int max) {
    return storable(String.valueOf(failure), max);
  }

  /**
   * Returns the stack trace of {@code failure} as {@code printStackTrace} writes it (its suppressed
   * exceptions, then each cause, frames in common with the enclosing trace elided), masked and
   * storable, at most {@code max} characters; it stops writing once past the bound.
   */
  static String stackTrace(Throwable failure, int max) {
    // Four times the bound before masking: a mask is shorter than what it hides.
    int limit = 4 * max;
    StringBuilder text = new StringBuilder();
    Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
    StackTraceElement[] enclosing = new StackTraceElement[0];
    String prefix = "";
    List<Throwable> causes = causes(failure);
    for (Throwable t : causes) {
      if (text.length() >= limit) {
        break;
      }
      seen.add(t);
      StackTraceElement[] frames = t.getStackTrace();
      write(text, prefix, t, frames, enclosing, limit);
      for (Throwable suppressed : t.getSuppressed()) {
        if (text.length() < limit && seen.add(suppressed)) {
          write(text, "\tSuppressed: ", suppressed, suppressed.getStackTrace(), frames, limit);
        }
      }
      enclosing = frames;
      prefix = "Caused by: ";
    }
    Throwable next = causes.get(causes.size() - 1).getCause();
    if (next != null && text.length() < limit) {
      text.append(
          causes.size() < MAX_CAUSES
              ? "Caused by: [CIRCULAR REFERENCE: " + next + "]\n"
              : "Caused by: ... (more than " + MAX_CAUSES + " causes)\n");
    }
    return storable(text.length() > limit ? text.substring(0, limit) : text.toString(), max);
  }

  private static void write(
      StringBuilder text,
      String prefix,
      Throwable t,
      StackTraceElement[] frames,
      StackTraceElement[] enclosing,
      int limit) {
    text.append(prefix).append(t).append('\n');
    int m = frames.length - 1;
    int n = enclosing.length - 1;
    while (m >= 0 && n >= 0 && frames[m].equals(enclosing[n])) {
      m--;
      n--;
    }
    int common = frames.length - 1 - m;
    for (int i = 0; i <= m && text.length() < limit; i++) {
      text.append("\tat ").append(frames[i]).append('\n');
    }
    if (common != 0) {
      text.append("\t... ").append(common).append(" more\n");
    }
  }

  /**
   * Returns {@code text} masked ({@link Redaction}) and cut to {@code max} characters, without a
   * NUL or other control character but tab and line breaks, and without a lone surrogate (each
   * becomes U+FFFD); a pair at the cut is dropped whole.
   */
  static String storable(String text, int max) {
    if (text == null) {
      return null;
    }
    // Masked after a first cut: a megabyte message need not be searched for secrets.
    String masked = Redaction.redact(text.length() > 4 * max ? text.substring(0, 4 * max) : text);
    StringBuilder result = new StringBuilder(Math.min(masked.length(), max));
    for (int i = 0; i < masked.length() && result.length() < max; i++) {
      char c = masked.charAt(i);
      if (Character.isHighSurrogate(c)
          && i + 1 < masked.length()
          && Character.isLowSurrogate(masked.charAt(i + 1))) {
        if (result.length() + 2 > max) {
          break;
        }
        result.append(c).append(masked.charAt(++i));
      } else if (Character.isSurrogate(c) || (c < ' ' && c != '\t' && c != '\n' && c != '\r')) {
        result.append('\ufffd');
      } else {
        result.append(c);
      }
    }
    return result.toString();
  }
}
