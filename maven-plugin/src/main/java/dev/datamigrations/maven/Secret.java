package dev.datamigrations.maven;

/**
 * A configured password. Maven prints every mojo parameter with {@code -X}; this type prints as {@code ******},
 * so the password never reaches a build log. Maven fills it through {@link #set(String)}.
 */
public final class Secret {
  private String value;

  /** Public for Maven, which creates it before calling {@link #set}. */
  public Secret() {}

  /** Sets the password; called by Maven with the {@code <password>} text. */
  public void set(String value) {
    this.value = value;
  }

  String value() {
    return value;
  }

  @Override
  public String toString() {
    return "******";
  }
}
