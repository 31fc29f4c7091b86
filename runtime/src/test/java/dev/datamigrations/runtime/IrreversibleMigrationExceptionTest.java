package dev.datamigrations.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/** The default {@link Migration#down} refuses with the facts it has: its class, not its version. */
class IrreversibleMigrationExceptionTest {

  /** A migration that does not override {@code down}. */
  static final class OneWay implements Migration {
    @Override
    public void up(org.jdbi.v3.core.Handle handle) {}
  }

  @Test
  void theDefaultDownNamesItsClassAndKnowsNoVersion() {
    IrreversibleMigrationException refused =
        assertThrows(IrreversibleMigrationException.class, () -> new OneWay().down(null));
    assertEquals(OneWay.class.getName() + " does not override down(Handle)", refused.getMessage());
    assertEquals(OneWay.class.getName(), refused.className());
    assertEquals(OptionalLong.empty(), refused.version());
  }
}
