package dev.datamigrations.processor.internal;

import java.util.Optional;

/**
 * Which inject API a migration's {@code @Inject} constructor uses; the registry uses the same one.
 */
public enum InjectFlavor {
  JAVAX("javax.inject"),
  JAKARTA("jakarta.inject");

  private final String packageName;

  InjectFlavor(String packageName) {
    this.packageName = packageName;
  }

  /** Returns the API's package: {@code javax.inject} or {@code jakarta.inject}. */
  public String packageName() {
    return packageName;
  }

  /**
   * Returns the flavor whose {@code Inject} annotation has this qualified name; empty for any
   * other.
   */
  static Optional<InjectFlavor> ofAnnotation(String qualifiedName) {
    for (InjectFlavor flavor : values()) {
      if (qualifiedName.equals(flavor.packageName + ".Inject")) {
        return Optional.of(flavor);
      }
    }
    return Optional.empty();
  }
}
