package dev.datamigrations.maven;

import java.util.ArrayList;
import java.util.List;
import org.apache.maven.plugins.annotations.Execute;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.plugins.annotations.ResolutionScope;

/**
 * {@code mvn datamigrations:pending}: lists what {@code migrate} would run; with {@code -Dcheck},
 * fails the build when anything is pending (a deploy gate).
 */
@Mojo(name = "pending", requiresDependencyResolution = ResolutionScope.RUNTIME, threadSafe = true)
@Execute(phase = LifecyclePhase.COMPILE)
public class PendingMojo extends AbstractDataMigrationsMojo {

  /** Fail the build (exit code 4) when anything is pending. */
  @Parameter(property = "check", defaultValue = "false")
  boolean check;

  /** {@code text} (a list) or {@code json}. */
  @Parameter(property = "format", defaultValue = "text")
  String format;

  @Override
  List<String> command() {
    List<String> command = new ArrayList<>(List.of("pending", "--format", format));
    if (check) {
      command.add("--check");
    }
    return command;
  }
}
