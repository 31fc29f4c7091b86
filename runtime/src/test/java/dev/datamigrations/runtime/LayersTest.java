package dev.datamigrations.runtime;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The runtime's layers depend one way: the engine ({@code runtime}, {@code runtime.internal}) knows
 * nothing of the backfill layer ({@code runtime.backfill}, {@code runtime.backfill.internal}),
 * which sits on top of it and is reached through {@link RunnerExtension} and {@link
 * java.util.ServiceLoader}.
 */
class LayersTest {
  private static final JavaClasses RUNTIME =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("dev.datamigrations.runtime");

  @Test
  void theEngineAndItsApiDoNotDependOnTheBackfillLayer() {
    noClasses()
        .that()
        .resideInAnyPackage("dev.datamigrations.runtime", "dev.datamigrations.runtime.internal")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("dev.datamigrations.runtime.backfill..")
        .check(RUNTIME);
  }

  @Test
  void theLayersHaveNoCycle() {
    // A layer is a public package with its internal one: the API facade (MigrationRunner,
    // Backfills) builds its
    // machinery, which throws the API's exceptions; between layers, dependencies run one way.
    slices().assignedFrom(new RuntimeLayers()).should().beFreeOfCycles().check(RUNTIME);
  }

  @Test
  void onlyTheFacadesOfAPublicPackageReachIntoItsInternalPackage() {
    noClasses()
        .that()
        .resideInAPackage("dev.datamigrations.runtime")
        .and()
        .doNotHaveSimpleName("MigrationRunner")
        .and()
        .doNotHaveFullyQualifiedName(MigrationRunner.Builder.class.getName())
        .and()
        .doNotHaveSimpleName("RunnerExtension")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("dev.datamigrations.runtime.internal")
        .check(RUNTIME);
  }

  /** The engine and the backfill layer, each a public package with its internal one. */
  private static final class RuntimeLayers
      implements com.tngtech.archunit.library.dependencies.SliceAssignment {
    @Override
    public com.tngtech.archunit.library.dependencies.SliceIdentifier getIdentifierOf(
        com.tngtech.archunit.core.domain.JavaClass javaClass) {
      String name = javaClass.getPackageName();
      if (name.startsWith("dev.datamigrations.runtime.backfill")) {
        return com.tngtech.archunit.library.dependencies.SliceIdentifier.of("backfill layer");
      }
      if (name.startsWith("dev.datamigrations.runtime")) {
        return com.tngtech.archunit.library.dependencies.SliceIdentifier.of("engine");
      }
      return com.tngtech.archunit.library.dependencies.SliceIdentifier.ignore();
    }

    @Override
    public String getDescription() {
      return "the engine and the backfill layer";
    }
  }
}
