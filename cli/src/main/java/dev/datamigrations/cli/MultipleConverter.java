package dev.datamigrations.cli;

import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Reads a multiple such as {@code --busy-pause}'s: a finite number of at least 0 ({@code 0}, {@code
 * 0.5}, {@code 3}), refused with the rule otherwise, so that a bad value is a usage error naming
 * the option.
 */
final class MultipleConverter implements ITypeConverter<Double> {

  @Override
  public Double convert(String value) {
    double multiple;
    try {
      multiple = Double.parseDouble(value.trim());
    } catch (NumberFormatException e) {
      multiple = Double.NaN;
    }
    if (!(multiple >= 0) || Double.isInfinite(multiple)) {
      throw new TypeConversionException(
          "'"
              + value
              + "' is not a multiple of at least 0: write 0 (off), 1 (the default), 3 or another"
              + " number such as 0.5");
    }
    return multiple;
  }
}
