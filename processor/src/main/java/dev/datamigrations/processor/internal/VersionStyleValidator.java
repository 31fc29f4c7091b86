package dev.datamigrations.processor.internal;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import javax.tools.Diagnostic;

/**
 * Warns when a set mixes {@code yyyyMMddHHmmss} timestamps with short sequence numbers: a short
 * version among timestamps is almost always a typo, and it would sort before every timestamp. Warns
 * on the short ones.
 */
public final class VersionStyleValidator {

  /** Returns one warning per short version, if the set also holds timestamps. */
  public List<Finding> validate(List<MigrationClass> migrations) {
    Optional<MigrationClass> timestamped =
        migrations.stream()
            .filter(m -> m.version().isPresent())
            .filter(m -> VersionValueValidator.isTimestampShaped(m.version().getAsLong()))
            .min(Comparator.comparingLong(m -> m.version().getAsLong()));
    if (timestamped.isEmpty()) {
      return List.of();
    }
    long example = timestamped.get().version().getAsLong();
    List<Finding> findings = new ArrayList<>();
    for (MigrationClass migration : migrations) {
      if (migration.version().isEmpty()) {
        continue;
      }
      long version = migration.version().getAsLong();
      if (version > 0 && version < 10_000_000_000_000L) {
        findings.add(
            Finding.onValue(
                Diagnostic.Kind.WARNING,
                migration.type(),
                migration.annotation(),
                migration.versionValue(),
                Messages.MIXED_VERSION_STYLES.format(
                    version, example, timestamped.get().qualifiedName())));
      }
    }
    return List.copyOf(findings);
  }
}
