package dev.datamigrations.example;

import dagger.Module;
import dagger.Provides;
import jakarta.inject.Singleton;
import java.util.Map;

/** Provides the application's services; here, the phone formatter a data migration needs. */
@Module
public interface ExampleModule {

  @Provides
  @Singleton
  static PhoneNumberFormatter phoneNumberFormatter() {
    return new PhoneNumberFormatter(Map.of("GB", "44", "US", "1", "NL", "31"));
  }
}
