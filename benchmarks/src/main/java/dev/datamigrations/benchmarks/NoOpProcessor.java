package dev.datamigrations.benchmarks;

import java.util.Set;
import javax.annotation.processing.AbstractProcessor;
import javax.annotation.processing.RoundEnvironment;
import javax.lang.model.SourceVersion;
import javax.lang.model.element.TypeElement;

/**
 * A processor that asks for {@code @DataMigration} and does nothing: javac with it measures the
 * floor any annotation processor pays (rounds, a processor class loader), so that the
 * processor-cost scenario can tell javac's share from ours. Named explicitly with {@code
 * -processor}; not registered as a service.
 */
public final class NoOpProcessor extends AbstractProcessor {
  @Override
  public Set<String> getSupportedAnnotationTypes() {
    return Set.of("dev.datamigrations.DataMigration");
  }

  @Override
  public SourceVersion getSupportedSourceVersion() {
    return SourceVersion.latestSupported();
  }

  @Override
  public boolean process(Set<? extends TypeElement> annotations, RoundEnvironment round) {
    return false;
  }
}
