package dev.datamigrations.processor.internal;

import java.util.ArrayList;
import java.util.List;
import javax.tools.Diagnostic;

/**
 * Checks what only a {@code Backfill} can get wrong: asking for one transaction around the whole backfill
 * ({@code transactional = true}, contradictory: each batch has its own), and implementing {@code up(Handle)},
 * which the runner never calls for a backfill (the class mixes the two shapes).
 */
public final class BackfillShapeValidator {

  /** Returns the errors of {@code migration}'s backfill shape; empty if it is no backfill or fine. */
  public List<Finding> validate(MigrationClass migration) {
    if (!migration.backfill()) {
      return List.of();
    }
    List<Finding> findings = new ArrayList<>();
    String name = migration.qualifiedName();
    if (migration.transactionalValue() != null
        && Boolean.TRUE.equals(migration.transactionalValue().getValue())) {
      findings.add(
          Finding.onValue(
              Diagnostic.Kind.ERROR,
              migration.type(),
              migration.annotation(),
              migration.transactionalValue(),
              Messages.BACKFILL_TRANSACTIONAL.format(name)));
    }
    if (migration.upMethod() != null) {
      boolean own = migration.upMethod().getEnclosingElement().equals(migration.type());
      findings.add(
          Finding.error(own ? migration.upMethod() : migration.type(), Messages.BACKFILL_OVERRIDES_UP.format(name)));
    }
    return List.copyOf(findings);
  }
}
