package dev.datamigrations.maven;

import java.util.List;
import org.apache.maven.plugins.annotations.Execute;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.plugins.annotations.ResolutionScope;

/**
 * {@code mvn datamigrations:cancel}: cancels a running or paused backfill ({@code -Dversion=...}).
 */
@Mojo(name = "cancel", requiresDependencyResolution = ResolutionScope.RUNTIME, threadSafe = true)
@Execute(phase = LifecyclePhase.COMPILE)
public class CancelMojo extends AbstractDataMigrationsMojo {

  /** The version, e.g. {@code -Dversion=20240831020834}. */
  @Parameter(property = "version", required = true)
  Long version;

  @Override
  List<String> command() {
    return List.of("cancel", version.toString());
  }
}
