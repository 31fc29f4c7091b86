package dev.datamigrations.cli;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Reads a positive size the way people type it, in bytes: {@code 65536}, {@code 512KB}, {@code
 * 64MB}, {@code 1GB}, {@code 1TB} (units of 1024, as Spring's {@code DataSize}; case ignored).
 */
final class ByteSizeConverter implements ITypeConverter<Long> {
  private static final Pattern SIZE = Pattern.compile("(\\d+)\\s*(b|kb|mb|gb|tb)?");

  @Override
  public Long convert(String value) {
    Matcher m = SIZE.matcher(value.trim().toLowerCase(Locale.ROOT));
    if (m.matches()) {
      int shift =
          m.group(2) == null
              ? 0
              : switch (m.group(2)) {
                case "kb" -> 10;
                case "mb" -> 20;
                case "gb" -> 30;
                case "tb" -> 40;
                default -> 0;
              };
      try {
        long bytes = Math.multiplyExact(Long.parseLong(m.group(1)), 1L << shift);
        if (bytes > 0) {
          return bytes;
        }
      } catch (ArithmeticException | NumberFormatException e) {
        // Beyond a long: refused below.
      }
    }
    throw new TypeConversionException(
        "'" + value + "' is not a positive size: write bytes such as 64MB, 512KB, 1GB or 65536");
  }
}
