package dev.datamigrations.processor.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.tools.Diagnostic;

/**
 * Checks what only a {@code Backfill} can get wrong: asking for one transaction around the whole
 * backfill ({@code transactional = true}, contradictory: each batch has its own), implementing
 * {@code up(Handle)}, which the runner never calls for a backfill (the class mixes the two shapes),
 * and implementing two backfill shapes ({@code Backfill}, {@code QueryBackfill}, {@code
 * CsvBackfill}) at once.
 */
public final class BackfillShapeValidator {

  /**
   * Returns the errors of {@code migration}'s backfill shape; empty if it is no backfill or fine.
   */
  public List<Finding> validate(MigrationClass migration) {
    if (!migration.backfill()) {
      return List.of();
    }
    List<Finding> findings = new ArrayList<>();
    String name = migration.qualifiedName();
    migration
        .transactionalValue()
        .filter(value -> Boolean.TRUE.equals(value.getValue()))
        .ifPresent(
            value ->
                findings.add(
                    Finding.onValue(
                        Diagnostic.Kind.ERROR,
                        migration.type(),
                        migration.annotation(),
                        Optional.of(value),
                        Messages.BACKFILL_TRANSACTIONAL.format(name))));
    if (migration.backfillShapes().size() > 1) {
      findings.add(
          Finding.error(
              migration.type(),
              Messages.BACKFILL_SHAPES_MIXED.format(
                  name, String.join(" and ", migration.backfillShapes()))));
    }
    migration
        .upMethod()
        .ifPresent(
            up -> {
              // Point at the method when the class declares it; an inherited one has no place in
              // this file.
              boolean own = up.getEnclosingElement().equals(migration.type());
              findings.add(
                  Finding.error(
                      own ? up : migration.type(), Messages.BACKFILL_OVERRIDES_UP.format(name)));
            });
    return List.copyOf(findings);
  }
}
