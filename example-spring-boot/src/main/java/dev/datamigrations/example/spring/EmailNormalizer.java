package dev.datamigrations.example.spring;

import java.util.Locale;
import org.springframework.stereotype.Component;

/**
 * The application's rule for e-mail addresses, shared by the code and the data migration that
 * applies it.
 */
@Component
public class EmailNormalizer {

  /** Returns {@code email} trimmed and lower-cased. */
  public String normalize(String email) {
    return email.strip().toLowerCase(Locale.ROOT);
  }
}
