package dev.datamigrations.processor.internal;

import java.util.ArrayList;
import java.util.List;
import javax.lang.model.element.Element;
import javax.lang.model.element.ElementKind;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.Modifier;
import javax.lang.model.element.NestingKind;
import javax.lang.model.element.TypeElement;
import javax.lang.model.util.ElementFilter;
import javax.lang.model.util.Elements;
import javax.lang.model.util.Types;

/**
 * Checks that the generated registry can create a migration: a public concrete class (records
 * included), top-level or static nested in public classes, implementing Migration, with a public
 * no-argument constructor or a non-private {@code @Inject} constructor.
 */
public final class ClassShapeValidator {
  private final Elements elements;
  private final Types types;

  public ClassShapeValidator(Elements elements, Types types) {
    this.elements = elements;
    this.types = types;
  }

  /** Returns the errors of {@code migration}'s class shape; empty if it is fine. */
  public List<Finding> validate(MigrationClass migration) {
    TypeElement type = migration.type();
    String name = migration.qualifiedName();
    List<Finding> findings = new ArrayList<>();
    if (type.getKind() != ElementKind.CLASS && type.getKind() != ElementKind.RECORD) {
      findings.add(
          Finding.error(type, Messages.NOT_A_CLASS.format(name, kindName(type.getKind()))));
      return List.copyOf(findings); // nothing else applies to an interface, enum or annotation
    }
    if (type.getModifiers().contains(Modifier.ABSTRACT)) {
      findings.add(Finding.error(type, Messages.ABSTRACT_CLASS.format(name)));
    }
    checkImplementsMigration(type, name, findings);
    checkVisibility(type, name, findings);
    checkConstructors(migration, name, findings);
    return List.copyOf(findings);
  }

  private void checkImplementsMigration(TypeElement type, String name, List<Finding> findings) {
    TypeElement migrationType = elements.getTypeElement(Names.MIGRATION);
    if (migrationType == null) {
      findings.add(Finding.error(type, Messages.RUNTIME_MISSING.format(name)));
    } else if (!types.isAssignable(
        types.erasure(type.asType()), types.erasure(migrationType.asType()))) {
      findings.add(Finding.error(type, Messages.NOT_A_MIGRATION.format(name)));
    }
  }

  private static void checkVisibility(TypeElement type, String name, List<Finding> findings) {
    if (type.getModifiers().contains(Modifier.PRIVATE)) {
      findings.add(Finding.error(type, Messages.PRIVATE_CLASS.format(name)));
    } else if (!type.getModifiers().contains(Modifier.PUBLIC)) {
      findings.add(Finding.error(type, Messages.NOT_PUBLIC.format(name)));
    }
    // Local classes never get here: javac does not show them to processors
    // (getElementsAnnotatedWith).
    if (type.getNestingKind() == NestingKind.MEMBER) {
      TypeElement outer = (TypeElement) type.getEnclosingElement();
      // Records and nested enums/interfaces are implicitly static; only a class can be an inner
      // class.
      if (type.getKind() == ElementKind.CLASS
          && !type.getModifiers().contains(Modifier.STATIC)
          && outer.getKind() != ElementKind.INTERFACE
          && outer.getKind() != ElementKind.ANNOTATION_TYPE) {
        findings.add(
            Finding.error(
                type, Messages.INNER_CLASS_NOT_STATIC.format(name, outer.getQualifiedName())));
      }
      for (Element enclosing = outer;
          enclosing instanceof TypeElement enclosingType;
          enclosing = enclosing.getEnclosingElement()) {
        if (!enclosingType.getModifiers().contains(Modifier.PUBLIC)) {
          String outerName = enclosingType.getQualifiedName().toString();
          findings.add(
              Finding.error(
                  type, Messages.ENCLOSING_CLASS_NOT_PUBLIC.format(name, outerName, outerName)));
          break;
        }
      }
    }
  }

  private void checkConstructors(MigrationClass migration, String name, List<Finding> findings) {
    TypeElement type = migration.type();
    List<ExecutableElement> injects = migration.injectConstructors();
    if (injects.size() > 1) {
      findings.add(Finding.error(type, Messages.SEVERAL_INJECT_CONSTRUCTORS.format(name)));
    }
    if (!injects.isEmpty()) {
      for (ExecutableElement constructor : injects) {
        if (constructor.getModifiers().contains(Modifier.PRIVATE)) {
          findings.add(
              Finding.error(constructor, Messages.PRIVATE_INJECT_CONSTRUCTOR.format(name)));
        }
      }
      return;
    }
    // The implicit constructor has the class's access, which checkVisibility already reports.
    boolean publicNoArg =
        ElementFilter.constructorsIn(type.getEnclosedElements()).stream()
            .anyMatch(
                c ->
                    c.getParameters().isEmpty()
                        && (c.getModifiers().contains(Modifier.PUBLIC)
                            || elements.getOrigin(c) == Elements.Origin.MANDATED));
    if (!publicNoArg) {
      findings.add(Finding.error(type, Messages.NO_USABLE_CONSTRUCTOR.format(name)));
    }
  }

  private static String kindName(ElementKind kind) {
    return switch (kind) {
      case INTERFACE -> "an interface";
      case ENUM -> "an enum";
      case ANNOTATION_TYPE -> "an annotation type";
      default -> "a " + kind.name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ');
    };
  }
}
