package dev.datamigrations.example;

import java.util.Map;

/**
 * Formats hand-typed phone numbers as E.164 ({@code +442079460958}). An application service, shared
 * by the app and by a data migration, which receives it from Dagger.
 */
public final class PhoneNumberFormatter {
  private final Map<String, String> callingCodes;

  public PhoneNumberFormatter(Map<String, String> callingCodes) {
    this.callingCodes = Map.copyOf(callingCodes);
  }

  /**
   * Returns {@code raw} in E.164 form for a customer in {@code countryCode}, or {@code raw}
   * unchanged when the country's calling code is unknown or there are no digits to format.
   */
  public String toE164(String raw, String countryCode) {
    String digits = raw.replaceAll("[^0-9]", "");
    if (digits.isEmpty()) {
      return raw;
    }
    if (raw.strip().startsWith("+")) {
      return "+" + digits;
    }
    String callingCode = callingCodes.get(countryCode);
    if (callingCode == null) {
      return raw;
    }
    // A national number's leading trunk prefix 0 is dropped after the country code.
    String national = digits.startsWith("0") ? digits.substring(1) : digits;
    return "+" + callingCode + national;
  }
}
