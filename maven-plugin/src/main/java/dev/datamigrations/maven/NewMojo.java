package dev.datamigrations.maven;

import java.io.File;
import java.util.ArrayList;
import java.util.List;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugins.annotations.Execute;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.plugins.annotations.ResolutionScope;

/**
 * {@code mvn datamigrations:new -Dname=BackfillEmails [-Dbackfill]}: writes a new, versioned data
 * migration class into {@code src/main/java}, in the package of the project's registry (found in
 * {@code target/classes}) or {@code -Dpackage=...}. Compiles first, so that the registry is there
 * to take the package from; needs no database. Writes the migration's test skeleton into {@code
 * src/test/java} too when the project depends on {@code datamigrations-testing} ({@code -DnoTest}
 * to skip it).
 */
@Mojo(name = "new", requiresDependencyResolution = ResolutionScope.RUNTIME, threadSafe = true)
@Execute(phase = LifecyclePhase.COMPILE)
public class NewMojo extends AbstractDataMigrationsMojo {

  /** Class name, {@code UpdatePhoneNumbers} or {@code update_phone_numbers}. */
  @Parameter(property = "name")
  String name;

  /** Package of the new class; default: the package of the project's compiled registry. */
  @Parameter(property = "package")
  String packageName;

  /** Source folder to write into. */
  @Parameter(property = "dir", defaultValue = "${project.build.sourceDirectory}")
  File directory;

  /** Test source folder for the test skeleton. */
  @Parameter(property = "testDir", defaultValue = "${project.build.testSourceDirectory}")
  File testDirectory;

  /** Write no test skeleton. */
  @Parameter(property = "noTest", defaultValue = "false")
  boolean noTest;

  /** Write a {@code Backfill} (batched over a key column) instead of a one-go {@code Migration}. */
  @Parameter(property = "backfill", defaultValue = "false")
  boolean backfill;

  @Override
  boolean usesDatabase() {
    return false;
  }

  @Override
  String mavenHint() {
    return " (In Maven, the command line's --package, --dir and --backfill are -Dpackage, -Ddir and -Dbackfill.)";
  }

  /**
   * Returns whether the project declares the test kit, which the test skeleton needs to compile.
   */
  private boolean hasTestKit() {
    return project.getDependencies().stream()
        .anyMatch(
            d ->
                "dev.datamigrations".equals(d.getGroupId())
                    && "datamigrations-testing".equals(d.getArtifactId()));
  }

  @Override
  List<String> command() throws MojoExecutionException {
    if (name == null || name.isBlank()) {
      throw new MojoExecutionException(
          "datamigrations:new needs a name: mvn datamigrations:new -Dname=BackfillEmails [-Dbackfill]");
    }
    List<String> command = new ArrayList<>(List.of("new", name, "--dir", directory.getPath()));
    if (packageName != null && !packageName.isBlank()) {
      command.add("--package");
      command.add(packageName);
    }
    if (backfill) {
      command.add("--backfill");
    }
    if (noTest || !hasTestKit()) {
      if (!noTest) {
        getLog()
            .info(
                "No test skeleton written: the project does not depend on dev.datamigrations:datamigrations-testing"
                    + " (add it with <scope>test</scope> to get one).");
      }
      command.add("--no-test");
    } else {
      command.add("--test-dir");
      command.add(testDirectory.getPath());
    }
    return command;
  }
}
