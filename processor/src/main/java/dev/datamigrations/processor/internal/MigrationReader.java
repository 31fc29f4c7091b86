package dev.datamigrations.processor.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.AnnotationValue;
import javax.lang.model.element.Element;
import javax.lang.model.element.ElementKind;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.Modifier;
import javax.lang.model.element.TypeElement;
import javax.lang.model.type.DeclaredType;
import javax.lang.model.util.ElementFilter;
import javax.lang.model.util.Elements;
import javax.lang.model.util.Types;

/** Reads a {@code @DataMigration} class into a {@link MigrationClass}: facts only, no judgement. */
public final class MigrationReader {
  private final Elements elements;
  private final Types types;
  private final SourceChecksums checksums;

  public MigrationReader(Elements elements, Types types, SourceChecksums checksums) {
    this.elements = elements;
    this.types = types;
    this.checksums = checksums;
  }

  /** Returns the {@code @DataMigration} mirror on {@code element}, if it carries one. */
  public static Optional<AnnotationMirror> dataMigrationAnnotation(Element element) {
    for (AnnotationMirror mirror : element.getAnnotationMirrors()) {
      TypeElement annotationType = (TypeElement) mirror.getAnnotationType().asElement();
      if (annotationType.getQualifiedName().contentEquals(Names.DATA_MIGRATION)) {
        return Optional.of(mirror);
      }
    }
    return Optional.empty();
  }

  /** Reads {@code type}, which carries {@code annotation}. */
  public MigrationClass read(TypeElement type, AnnotationMirror annotation) {
    // javac reports a version it cannot read (a missing or non-constant value); then there is none
    // to check.
    Optional<AnnotationValue> versionValue =
        explicitValue(annotation, "version").filter(value -> value.getValue() instanceof Number);
    OptionalLong version =
        versionValue.isPresent()
            ? OptionalLong.of(((Number) versionValue.get().getValue()).longValue())
            : OptionalLong.empty();
    Map<? extends ExecutableElement, ? extends AnnotationValue> values =
        elements.getElementValuesWithDefaults(annotation);
    String description = "";
    boolean transactional = true;
    for (Map.Entry<? extends ExecutableElement, ? extends AnnotationValue> entry :
        values.entrySet()) {
      String name = entry.getKey().getSimpleName().toString();
      Object value = entry.getValue().getValue();
      if (name.equals("description") && value instanceof String string) {
        description = string.strip();
      } else if (name.equals("transactional") && value instanceof Boolean bool) {
        transactional = bool;
      }
    }
    if (description.isEmpty()) {
      description = Descriptions.fromClassName(type.getSimpleName().toString());
    }
    List<ExecutableElement> injectConstructors = new ArrayList<>();
    Optional<InjectFlavor> flavor = Optional.empty();
    for (ExecutableElement constructor : ElementFilter.constructorsIn(type.getEnclosedElements())) {
      Optional<InjectFlavor> constructorFlavor = injectFlavor(constructor);
      if (constructorFlavor.isPresent()) {
        injectConstructors.add(constructor);
        flavor = flavor.or(() -> constructorFlavor);
      }
    }
    List<String> shapes = backfillShapes(type);
    boolean backfill = !shapes.isEmpty();
    return new MigrationClass(
        type,
        annotation,
        version,
        versionValue,
        description,
        // Each batch of a backfill has its own transaction; the backfill as a whole has none.
        backfill ? false : transactional,
        isReversible(type),
        injectConstructors,
        flavor,
        backfill,
        explicitValue(annotation, "transactional"),
        backfill ? ownUp(type) : Optional.empty(),
        shapes,
        checksums.of(type));
  }

  /** Returns the simple names of the backfill interfaces {@code type} implements. */
  private List<String> backfillShapes(TypeElement type) {
    List<String> shapes = new ArrayList<>();
    for (String name : Names.BACKFILL_SHAPES) {
      TypeElement shape = elements.getTypeElement(name);
      if (shape != null
          && types.isAssignable(types.erasure(type.asType()), types.erasure(shape.asType()))) {
        shapes.add(shape.getSimpleName().toString());
      }
    }
    return shapes;
  }

  /**
   * Returns the concrete {@code up(Handle)} a class declares or inherits from a class (not
   * Backfill's default).
   */
  private Optional<ExecutableElement> ownUp(TypeElement type) {
    for (ExecutableElement method : ElementFilter.methodsIn(elements.getAllMembers(type))) {
      if (method.getSimpleName().contentEquals("up")
          && method.getParameters().size() == 1
          && !method.getModifiers().contains(Modifier.ABSTRACT)
          && isHandle(method.getParameters().get(0).asType())
          && method.getEnclosingElement().getKind() != ElementKind.INTERFACE) {
        return Optional.of(method);
      }
    }
    return Optional.empty();
  }

  private static Optional<AnnotationValue> explicitValue(AnnotationMirror annotation, String name) {
    for (Map.Entry<? extends ExecutableElement, ? extends AnnotationValue> entry :
        annotation.getElementValues().entrySet()) {
      if (entry.getKey().getSimpleName().contentEquals(name)) {
        return Optional.of(entry.getValue());
      }
    }
    return Optional.empty();
  }

  private static Optional<InjectFlavor> injectFlavor(ExecutableElement constructor) {
    for (AnnotationMirror mirror : constructor.getAnnotationMirrors()) {
      TypeElement annotationType = (TypeElement) mirror.getAnnotationType().asElement();
      Optional<InjectFlavor> flavor =
          InjectFlavor.ofAnnotation(annotationType.getQualifiedName().toString());
      if (flavor.isPresent()) {
        return flavor;
      }
    }
    return Optional.empty();
  }

  /**
   * Returns whether a concrete {@code down(Handle)} other than Migration's default is visible in
   * {@code type}: declared by the class, a superclass, or another interface's default method.
   */
  private boolean isReversible(TypeElement type) {
    for (ExecutableElement method : ElementFilter.methodsIn(elements.getAllMembers(type))) {
      if (method.getSimpleName().contentEquals("down")
          && method.getParameters().size() == 1
          && !method.getModifiers().contains(Modifier.ABSTRACT)
          && isHandle(method.getParameters().get(0).asType())
          && !isMigrationInterface(method.getEnclosingElement())) {
        return true;
      }
    }
    return false;
  }

  private boolean isHandle(javax.lang.model.type.TypeMirror type) {
    return types.erasure(type) instanceof DeclaredType declared
        && ((TypeElement) declared.asElement()).getQualifiedName().contentEquals(Names.HANDLE);
  }

  private static boolean isMigrationInterface(Element element) {
    return element.getKind() == ElementKind.INTERFACE
        && ((TypeElement) element).getQualifiedName().contentEquals(Names.MIGRATION);
  }
}
