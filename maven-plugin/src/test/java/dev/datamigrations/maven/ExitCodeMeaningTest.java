package dev.datamigrations.maven;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import dev.datamigrations.cli.ExitCodes;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import org.junit.jupiter.api.Test;

/**
 * A failed goal names what the command line's exit code means, for every code the command line has.
 */
class ExitCodeMeaningTest {

  @Test
  void everyFailureCodeOfTheCommandLineHasAMeaning() throws IllegalAccessException {
    int codes = 0;
    for (Field field : ExitCodes.class.getFields()) {
      if (Modifier.isStatic(field.getModifiers()) && field.getType() == int.class) {
        int code = field.getInt(null);
        if (code != ExitCodes.SUCCESS) {
          assertNotEquals(
              "unexpected exit code", AbstractDataMigrationsMojo.meaning(code), field.getName());
          codes++;
        }
      }
    }
    assertEquals(true, codes >= 6, "ExitCodes lists " + codes + " failure codes");
    assertEquals("unexpected exit code", AbstractDataMigrationsMojo.meaning(99));
  }
}
