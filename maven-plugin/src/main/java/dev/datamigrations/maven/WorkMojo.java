package dev.datamigrations.maven;

import java.util.List;
import org.apache.maven.plugins.annotations.Execute;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.plugins.annotations.ResolutionScope;

/**
 * {@code mvn datamigrations:work}: works on one backfill until it is done or cancelled ({@code
 * -Dversion=...}).
 */
@Mojo(name = "work", requiresDependencyResolution = ResolutionScope.RUNTIME, threadSafe = true)
@Execute(phase = LifecyclePhase.COMPILE)
public class WorkMojo extends AbstractDataMigrationsMojo {

  /** The version, e.g. {@code -Dversion=20240831020834}. */
  @Parameter(property = "version", required = true)
  Long version;

  @Override
  List<String> command() {
    return List.of("work", version.toString());
  }
}
