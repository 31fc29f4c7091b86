package dev.datamigrations.processor.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import javax.tools.Diagnostic;

/**
 * Checks that no two migrations share a version; each class involved gets an error naming the
 * others.
 */
public final class DuplicateVersionValidator {

  /** Returns one error per class whose version another class also uses. */
  public List<Finding> validate(List<MigrationClass> migrations) {
    Map<Long, List<MigrationClass>> byVersion = new TreeMap<>();
    for (MigrationClass migration : migrations) {
      migration
          .version()
          .ifPresent(v -> byVersion.computeIfAbsent(v, k -> new ArrayList<>()).add(migration));
    }
    List<Finding> findings = new ArrayList<>();
    for (Map.Entry<Long, List<MigrationClass>> entry : byVersion.entrySet()) {
      List<MigrationClass> clashing = entry.getValue();
      if (clashing.size() < 2) {
        continue;
      }
      for (MigrationClass migration : clashing) {
        String others =
            clashing.stream()
                .filter(other -> other != migration)
                .map(MigrationClass::qualifiedName)
                .sorted()
                .collect(Collectors.joining(", "));
        findings.add(
            Finding.onValue(
                Diagnostic.Kind.ERROR,
                migration.type(),
                migration.annotation(),
                migration.versionValue(),
                Messages.DUPLICATE_VERSION.format(entry.getKey(), others)));
      }
    }
    return List.copyOf(findings);
  }
}
