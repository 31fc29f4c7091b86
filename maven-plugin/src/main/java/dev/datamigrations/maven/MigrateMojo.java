package dev.datamigrations.maven;

import java.util.List;
import org.apache.maven.plugins.annotations.Execute;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.ResolutionScope;

/**
 * {@code mvn datamigrations:migrate}: applies every pending data migration, in version order (the
 * command line's {@code migrate}).
 */
@Mojo(name = "migrate", requiresDependencyResolution = ResolutionScope.RUNTIME, threadSafe = true)
@Execute(phase = LifecyclePhase.COMPILE)
public class MigrateMojo extends AbstractDataMigrationsMojo {

  @Override
  List<String> command() {
    return List.of("migrate");
  }
}
