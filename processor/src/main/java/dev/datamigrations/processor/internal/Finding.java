package dev.datamigrations.processor.internal;

import java.util.Objects;
import java.util.Optional;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.AnnotationValue;
import javax.lang.model.element.Element;
import javax.tools.Diagnostic;

/**
 * One diagnostic a validator found, attached as precisely as it can be: to an element, its
 * {@code @DataMigration} annotation, or the exact annotation value. Validators return these and
 * never print.
 */
public record Finding(
    Diagnostic.Kind kind,
    String message,
    Element element,
    Optional<AnnotationMirror> annotation,
    Optional<AnnotationValue> value) {

  public Finding {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(message, "message");
    Objects.requireNonNull(
        element, "element"); // every finding points at a class, member or annotation value
    Objects.requireNonNull(annotation, "annotation");
    Objects.requireNonNull(value, "value");
  }

  /** Returns an error on {@code element}. */
  public static Finding error(Element element, String message) {
    return new Finding(Diagnostic.Kind.ERROR, message, element, Optional.empty(), Optional.empty());
  }

  /**
   * Returns a diagnostic on one value of {@code annotation} on {@code element}, or on the
   * annotation if none.
   */
  public static Finding onValue(
      Diagnostic.Kind kind,
      Element element,
      AnnotationMirror annotation,
      Optional<AnnotationValue> value,
      String message) {
    return new Finding(kind, message, element, Optional.of(annotation), value);
  }

  /** Returns whether this is an error. */
  public boolean isError() {
    return kind == Diagnostic.Kind.ERROR;
  }
}
