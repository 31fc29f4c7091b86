package dev.datamigrations.processor.internal;

import java.util.List;
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
 * @param versionValue the version's annotation value, to point errors at; null if absent
 * @param description the given description, or the one derived from the class name
 * @param transactional the annotation's {@code transactional}
 * @param reversible whether the class or a supertype other than Migration implements {@code down(Handle)}
 * @param injectConstructors the constructors annotated {@code @Inject} (javax or jakarta)
 * @param injectFlavor the inject API of the first {@code @Inject} constructor, empty if none
 * @param backfill whether it implements {@code dev.datamigrations.runtime.Backfill}
 * @param transactionalValue the explicitly written {@code transactional} value, to point errors at; null if absent
 * @param upMethod a backfill's own {@code up(Handle)} (declared by it or a superclass), which the runtime would
 *     never call; null if none
 */
public record MigrationClass(
    TypeElement type,
    AnnotationMirror annotation,
    OptionalLong version,
    AnnotationValue versionValue,
    String description,
    boolean transactional,
    boolean reversible,
    List<ExecutableElement> injectConstructors,
    Optional<InjectFlavor> injectFlavor,
    boolean backfill,
    AnnotationValue transactionalValue,
    ExecutableElement upMethod) {

  public MigrationClass {
    injectConstructors = List.copyOf(injectConstructors);
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
