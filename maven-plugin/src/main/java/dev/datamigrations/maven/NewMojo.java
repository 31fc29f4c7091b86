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
 * {@code mvn datamigrations:new -Dname=BackfillEmails [-Dbackfill]}: writes a new, versioned data migration class
 * into {@code src/main/java}, in the package of the project's registry (found in {@code target/classes}) or
 * {@code -Dpackage=...}. Compiles first, so that the registry is there to take the package from; needs no
 * database.
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
    return command;
  }
}
