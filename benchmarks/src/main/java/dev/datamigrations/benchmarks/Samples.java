package dev.datamigrations.benchmarks;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/** The repetitions of one measurement, in the unit it was taken in (nanoseconds or kB). */
final class Samples {
  private final List<Double> values = new ArrayList<>();

  void add(double value) {
    values.add(value);
  }

  int size() {
    return values.size();
  }

  boolean isEmpty() {
    return values.isEmpty();
  }

  double get(int i) {
    return values.get(i);
  }

  double median() {
    double[] sorted = sorted();
    int n = sorted.length;
    return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
  }

  double min() {
    return sorted()[0];
  }

  double max() {
    double[] sorted = sorted();
    return sorted[sorted.length - 1];
  }

  private double[] sorted() {
    double[] sorted = values.stream().mapToDouble(Double::doubleValue).toArray();
    Arrays.sort(sorted);
    return sorted;
  }

  /** Returns "median [min–max]" with {@code scale} applied (1e-6 for ns to ms), or "-" if empty. */
  String format(double scale) {
    if (values.isEmpty()) {
      return "-";
    }
    if (values.size() == 1) {
      return number(median() * scale) + " (1 rep)";
    }
    return number(median() * scale)
        + " ["
        + number(min() * scale)
        + "-"
        + number(max() * scale)
        + "]";
  }

  static String number(double value) {
    if (value >= 100) {
      return String.format(Locale.ROOT, "%.0f", value);
    }
    if (value >= 10) {
      return String.format(Locale.ROOT, "%.1f", value);
    }
    return String.format(Locale.ROOT, "%.2f", value);
  }

  /**
   * The ratio of two measurements taken in the same run: the ratio of the medians, and the spread
   * of the ratios of the repetitions paired in the order they ran (interleaved, so that a noisy
   * moment hits both).
   */
  record Ratio(double value, double min, double max, int pairs) {
    static Ratio of(Samples numerator, Samples denominator) {
      if (numerator.isEmpty() || denominator.isEmpty()) {
        return null;
      }
      int pairs = Math.min(numerator.size(), denominator.size());
      double min = Double.MAX_VALUE;
      double max = 0;
      for (int i = 0; i < pairs; i++) {
        double r = numerator.get(i) / denominator.get(i);
        min = Math.min(min, r);
        max = Math.max(max, r);
      }
      return new Ratio(numerator.median() / denominator.median(), min, max, pairs);
    }

    @Override
    public String toString() {
      String value = String.format(Locale.ROOT, "%.2fx", this.value);
      if (pairs < 2) {
        return value;
      }
      return value + String.format(Locale.ROOT, " [%.2f-%.2f]", min, max);
    }
  }
}
