package dev.datamigrations.processor.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Checks the set's {@code @Inject} migrations as a whole: the registry's constructor takes one
 * provider per injected migration, and a JVM method takes at most 255 parameter slots ({@code this}
 * included).
 */
public final class InjectionValidator {
  /** The most providers the registry's constructor can take. */
  public static final int MAX_INJECTED = 254;

  /** Returns an error on each injected migration if there are more than {@link #MAX_INJECTED}. */
  public List<Finding> validate(List<MigrationClass> migrations) {
    List<MigrationClass> injected = migrations.stream().filter(MigrationClass::injected).toList();
    if (injected.size() <= MAX_INJECTED) {
      return List.of();
    }
    List<Finding> findings = new ArrayList<>();
    for (MigrationClass migration : injected) {
      findings.add(
          Finding.error(
              migration.type(),
              Messages.TOO_MANY_INJECTED.format(
                  migration.qualifiedName(), injected.size(), MAX_INJECTED)));
    }
    return List.copyOf(findings);
  }

  /**
   * Returns the inject API the registry uses: jakarta if any migration uses it, else javax; empty
   * if no migration is injected.
   */
  public static Optional<InjectFlavor> flavor(List<MigrationClass> migrations) {
    Optional<InjectFlavor> flavor = Optional.empty();
    for (MigrationClass migration : migrations) {
      if (migration.injectFlavor().isPresent()) {
        if (migration.injectFlavor().get() == InjectFlavor.JAKARTA) {
          return migration.injectFlavor();
        }
        flavor = migration.injectFlavor();
      }
    }
    return flavor;
  }
}
