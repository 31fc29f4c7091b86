package dev.datamigrations.maven;

import java.util.List;
import org.apache.maven.plugins.annotations.Execute;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.plugins.annotations.ResolutionScope;

/**
 * {@code mvn datamigrations:status}: prints every data migration and its state ({@code
 * -Dformat=json} for scripts).
 */
@Mojo(name = "status", requiresDependencyResolution = ResolutionScope.RUNTIME, threadSafe = true)
@Execute(phase = LifecyclePhase.COMPILE)
public class StatusMojo extends AbstractDataMigrationsMojo {

  /** {@code text} (an aligned table) or {@code json}. */
  @Parameter(property = "format", defaultValue = "text")
  String format;

  @Override
  List<String> command() {
    return List.of("status", "--format", format);
  }
}
