package dev.datamigrations.processor;

import com.google.auto.service.AutoService;
import dev.datamigrations.processor.internal.Messages;
import dev.datamigrations.processor.internal.Names;
import dev.datamigrations.processor.internal.ProcessingStep;
import dev.datamigrations.processor.internal.Reporter;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Set;
import javax.annotation.processing.AbstractProcessor;
import javax.annotation.processing.ProcessingEnvironment;
import javax.annotation.processing.Processor;
import javax.annotation.processing.RoundEnvironment;
import javax.lang.model.SourceVersion;
import javax.lang.model.element.TypeElement;
import javax.tools.Diagnostic;

/**
 * Checks every {@code @DataMigration} class of a compilation and generates its {@code MigrationRegistry}.
 *
 * <p>A thin entry: the work is in {@link ProcessingStep}. It never claims the annotation and never lets an
 * exception reach javac (it becomes one error with the trace).
 *
 * <p>Option {@code -Adatamigrations.package=com.example}: the registry's package, by default the longest
 * common package of the migrations.
 */
@AutoService(Processor.class)
public final class DataMigrationProcessor extends AbstractProcessor {
  private ProcessingStep step;

  @Override
  public synchronized void init(ProcessingEnvironment processingEnv) {
    super.init(processingEnv);
    step = new ProcessingStep(processingEnv, new Reporter(processingEnv.getMessager()));
  }

  @Override
  public Set<String> getSupportedAnnotationTypes() {
    return Set.of(Names.DATA_MIGRATION);
  }

  @Override
  public Set<String> getSupportedOptions() {
    return Set.of(Names.PACKAGE_OPTION);
  }

  @Override
  public SourceVersion getSupportedSourceVersion() {
    return SourceVersion.latestSupported();
  }

  @Override
  public boolean process(Set<? extends TypeElement> annotations, RoundEnvironment round) {
    try {
      step.process(round);
    } catch (Throwable t) { // a bug of ours must read as one clear error, not a javac crash
      StringWriter trace = new StringWriter();
      t.printStackTrace(new PrintWriter(trace));
      processingEnv
          .getMessager()
          .printMessage(Diagnostic.Kind.ERROR, Messages.UNEXPECTED_FAILURE.format(trace));
    }
    return false;
  }
}
