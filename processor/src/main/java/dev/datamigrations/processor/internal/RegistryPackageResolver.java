package dev.datamigrations.processor.internal;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import javax.lang.model.SourceVersion;
import javax.lang.model.element.PackageElement;
import javax.lang.model.util.Elements;

/**
 * Chooses the registry's package: {@code -Adatamigrations.package}, else the longest common package
 * of the migrations ({@code com.acme.a} and {@code com.acme.b} give {@code com.acme}). Never the
 * unnamed package.
 */
public final class RegistryPackageResolver {

  /**
   * The outcome: a package, or the errors that explain why there is none.
   *
   * @param packageName the registry's package, empty when {@code findings} holds errors
   * @param findings errors; empty when a package was found
   */
  public record Resolution(Optional<String> packageName, List<Finding> findings) {
    public Resolution {
      findings = List.copyOf(findings);
    }
  }

  private final Elements elements;

  public RegistryPackageResolver(Elements elements) {
    this.elements = elements;
  }

  /**
   * Resolves the package for {@code migrations} (at least one), honouring {@code option} if
   * non-null.
   */
  public Resolution resolve(List<MigrationClass> migrations, String option) {
    if (option != null && !option.isBlank()) {
      String packageName = option.strip();
      if (!SourceVersion.isName(packageName)) {
        // A compiler option has no element to point at; attach it to the first migration.
        return new Resolution(
            Optional.empty(),
            List.of(
                Finding.error(
                    migrations.get(0).type(),
                    Messages.INVALID_PACKAGE_OPTION.format(packageName))));
      }
      return new Resolution(Optional.of(packageName), List.of());
    }
    List<String> common = null;
    for (MigrationClass migration : migrations) {
      List<String> parts = Arrays.asList(packageOf(migration).split("\\."));
      if (common == null) {
        common = new ArrayList<>(parts);
      } else {
        int shared = 0;
        while (shared < common.size()
            && shared < parts.size()
            && common.get(shared).equals(parts.get(shared))) {
          shared++;
        }
        common = new ArrayList<>(common.subList(0, shared));
      }
    }
    String packageName = String.join(".", common);
    if (!packageName.isEmpty()) {
      return new Resolution(Optional.of(packageName), List.of());
    }
    List<Finding> findings = new ArrayList<>();
    for (MigrationClass migration : migrations) {
      String own = packageOf(migration);
      findings.add(
          Finding.error(
              migration.type(),
              Messages.NO_COMMON_PACKAGE.format(
                  migration.qualifiedName(), own.isEmpty() ? "the unnamed package" : own)));
    }
    return new Resolution(Optional.empty(), findings);
  }

  private String packageOf(MigrationClass migration) {
    PackageElement pkg = elements.getPackageOf(migration.type());
    return pkg.isUnnamed() ? "" : pkg.getQualifiedName().toString();
  }
}
