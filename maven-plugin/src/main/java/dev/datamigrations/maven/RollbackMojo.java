package dev.datamigrations.maven;

import java.util.List;
import org.apache.maven.plugins.annotations.Execute;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.plugins.annotations.ResolutionScope;

/**
 * {@code mvn datamigrations:rollback}: reverts the newest applied data migration(s) ({@code
 * -Dsteps=N}, default 1).
 */
@Mojo(name = "rollback", requiresDependencyResolution = ResolutionScope.RUNTIME, threadSafe = true)
@Execute(phase = LifecyclePhase.COMPILE)
public class RollbackMojo extends AbstractDataMigrationsMojo {

  /** How many migrations to revert. */
  @Parameter(property = "steps", defaultValue = "1")
  int steps;

  @Override
  List<String> command() {
    return List.of("rollback", "--steps", Integer.toString(steps));
  }
}
