package dev.datamigrations.processor.internal;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.AnnotationValue;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.TypeElement;

/**
 * What the processor read from one {@code @DataMigration} class, before any validation.
 *
 * @param type the annotated type
 * @param annotation its {@code @DataMigration} mirror
 * @param version the version, empty if javac could not read it (then javac has reported why)
 * @param versionValue the version's annotation value, to point errors at; empty if javac could not
 *     read it
 * @param description the given description, or the one derived from the class name
 * @param transactional the annotation's {@code transactional}
 * @param reversible whether the class or a supertype other than Migration implements {@code
 *     down(Handle)}
 * @param injectConstructors the constructors annotated {@code @Inject} (javax or jakarta)
 * @param injectFlavor the inject API of the first {@code @Inject} constructor, empty if none
 * @param backfill whether it implements the runtime's backfill interface ({@link Names#BACKFILL})
 * @param transactionalValue the explicitly written {@code transactional} value, to point errors at;
 *     empty if the default applies
 * @param upMethod a backfill's own {@code up(Handle)} (declared by it or a superclass), which the
 *     runtime would never call; empty if none or not a backfill
 * @param checksum the SHA-256 of its class declaration's tokens ({@link SourceChecksums}); empty
 *     where the source tree is not available
 * @param backfillShapes the backfill interfaces it implements (Backfill, QueryBackfill,
 *     CsvBackfill, by simple name); more than one is an error
 */
public record MigrationClass(
    TypeElement type,
    AnnotationMirror annotation,
    OptionalLong version,
    Optional<AnnotationValue> versionValue,
    String description,
    boolean transactional,
    boolean reversible,
    List<ExecutableElement> injectConstructors,
    Optional<InjectFlavor> injectFlavor,
    boolean backfill,
    Optional<AnnotationValue> transactionalValue,
    Optional<ExecutableElement> upMethod,
    List<String> backfillShapes,
    Optional<String> checksum) {

  public MigrationClass {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(annotation, "annotation");
    Objects.requireNonNull(version, "version");
    Objects.requireNonNull(versionValue, "versionValue");
    Objects.requireNonNull(description, "description");
    injectConstructors = List.copyOf(injectConstructors);
    Objects.requireNonNull(injectFlavor, "injectFlavor");
    Objects.requireNonNull(transactionalValue, "transactionalValue");
    Objects.requireNonNull(upMethod, "upMethod");
    Objects.requireNonNull(checksum, "checksum");
    backfillShapes = List.copyOf(backfillShapes);
  }

  /** Returns this class with {@code checksum}, e.g. one the previous compilation recorded. */
  public MigrationClass withChecksum(Optional<String> checksum) {
    return new MigrationClass(
        type,
        annotation,
        version,
        versionValue,
        description,
        transactional,
        reversible,
        injectConstructors,
        injectFlavor,
        backfill,
        transactionalValue,
        upMethod,
        backfillShapes,
        checksum);
  }

  /** Returns whether Dagger creates it (it has an {@code @Inject} constructor). */
  public boolean injected() {
    return !injectConstructors.isEmpty();
  }

  /** Returns the canonical name, e.g. {@code com.acme.Outer.Inner}. */
  public String qualifiedName() {
    return type.getQualifiedName().toString();
  }
}
