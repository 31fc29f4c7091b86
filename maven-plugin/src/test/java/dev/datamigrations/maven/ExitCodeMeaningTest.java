package dev.datamigrations.maven;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.datamigrations.cli.ExitCodes;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import org.junit.jupiter.api.Test;

/**
 * A failed goal names what the command line's exit code means, in the command line's own words
 * ({@link ExitCodes#MEANINGS}, the one place exit codes are described), for every code it has.
 */
class ExitCodeMeaningTest {

  @Test
  void everyFailureCodeOfTheCommandLineHasItsMeaningFromExitCodes() throws IllegalAccessException {
    int codes = 0;
    for (Field field : ExitCodes.class.getFields()) {
      if (Modifier.isStatic(field.getModifiers()) && field.getType() == int.class) {
        int code = field.getInt(null);
        if (code != ExitCodes.SUCCESS) {
          String documented =
              ExitCodes.MEANINGS.stream()
                  .filter(meaning -> meaning.code() == code)
                  .map(ExitCodes.Meaning::text)
                  .findFirst()
                  .orElseThrow(() -> new AssertionError(field.getName() + " has no meaning"));
          assertEquals(documented, AbstractDataMigrationsMojo.meaning(code), field.getName());
          codes++;
        }
      }
    }
    assertTrue(codes >= 6, "ExitCodes lists " + codes + " failure codes");
    assertEquals("unexpected exit code", AbstractDataMigrationsMojo.meaning(99));
  }
}
