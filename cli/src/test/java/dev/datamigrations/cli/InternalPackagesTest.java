package dev.datamigrations.cli;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** The runtime's internal packages are its own: this module uses only its public API. */
class InternalPackagesTest {

  @Test
  void usesNoInternalPackageOfTheRuntime() {
    noClasses()
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "dev.datamigrations.runtime.internal..",
            "dev.datamigrations.runtime.backfill.internal..")
        .check(
            new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("dev.datamigrations.cli"));
  }
}
