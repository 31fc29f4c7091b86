package dev.datamigrations.spring.boot;

import static dev.datamigrations.runtime.MigrationDescriptor.Reversibility.IRREVERSIBLE;
import static dev.datamigrations.runtime.MigrationDescriptor.Transaction.TRANSACTIONAL;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.datamigrations.runtime.MigrationDependency;
import dev.datamigrations.runtime.MigrationDescriptor;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.support.DefaultListableBeanFactory;

/** What the context's side of an injected migration says, for each way a dependency can fail. */
class BeanDependenciesTest {
  private static final MigrationDescriptor STAMP =
      MigrationDescriptor.migration(
          2L, "Stamp rows", "com.acme.StampRows", TRANSACTIONAL, IRREVERSIBLE);

  @Test
  void aGenericParameterIsRefusedAtStartupEvenWhenABeanOfItsClassExists() {
    DefaultListableBeanFactory beans = new DefaultListableBeanFactory();
    beans.registerSingleton("numbers", List.of(1, 2));
    MigrationDependency names =
        new MigrationDependency(
            STAMP, "names", List.class, "java.util.List<java.lang.String>", true);
    assertThatThrownBy(() -> new BeanDependencies(beans).check(List.of(names)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageStartingWith(
            "Data migration 2 (Stamp rows, com.acme.StampRows) cannot be created: parameter 'names'"
                + " (java.util.List<java.lang.String>) of its @Inject constructor has a generic type")
        .hasMessageEndingWith("No data migration was run.");
  }

  @Test
  void aQualifiedParameterIsRefusedAtStartupRatherThanGivenThePrimaryBean() {
    DefaultListableBeanFactory beans = new DefaultListableBeanFactory();
    beans.registerSingleton("clock", Clock.systemUTC());
    MigrationDependency clock =
        new MigrationDependency(
            STAMP,
            "clock",
            Clock.class,
            "java.time.Clock",
            false,
            "@jakarta.inject.Named(\"replica\")");
    assertThatThrownBy(() -> new BeanDependencies(beans).check(List.of(clock)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageStartingWith(
            "Data migration 2 (Stamp rows, com.acme.StampRows) cannot be created: parameter 'clock'"
                + " (java.time.Clock) of its @Inject constructor has the qualifier @jakarta.inject.Named(\"replica\")")
        .hasMessageEndingWith("No data migration was run.");
  }

  @Test
  void aMissingBeanWhenTheMigrationIsCreatedNamesItButClaimsNothingAboutTheRun() {
    MigrationDependency clock =
        new MigrationDependency(STAMP, "clock", Clock.class, "java.time.Clock", false);
    assertThatThrownBy(() -> new BeanDependencies(new DefaultListableBeanFactory()).get(clock))
        .hasMessageContaining(
            "parameter 'clock' (java.time.Clock) of its @Inject constructor cannot be resolved")
        .hasMessageNotContaining("No data migration was run");
  }

  @Test
  void theOneBeanOfTheClassIsSupplied() {
    DefaultListableBeanFactory beans = new DefaultListableBeanFactory();
    Clock utc = Clock.systemUTC();
    beans.registerSingleton("clock", utc);
    MigrationDependency clock =
        new MigrationDependency(STAMP, "clock", Clock.class, "java.time.Clock", false);
    assertThat(new BeanDependencies(beans).get(clock)).isSameAs(utc);
  }
}
