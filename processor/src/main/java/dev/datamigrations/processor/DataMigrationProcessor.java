package dev.datamigrations.processor;

import com.google.auto.service.AutoService;
import dev.datamigrations.processor.internal.Messages;
import dev.datamigrations.processor.internal.Names;
import dev.datamigrations.processor.internal.ProcessingStep;
import dev.datamigrations.processor.internal.Reporter;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Set;
import java.util.function.Function;
import javax.annotation.processing.AbstractProcessor;
import javax.annotation.processing.ProcessingEnvironment;
import javax.annotation.processing.Processor;
import javax.annotation.processing.RoundEnvironment;
import javax.lang.model.SourceVersion;
import javax.lang.model.element.TypeElement;
import javax.tools.Diagnostic;

/**
 * Checks every {@code @DataMigration} class of a compilation and generates its {@code
 * MigrationRegistry}.
 *
 * <p>A thin entry: the work is in {@link ProcessingStep}. It never claims the annotation and never
 * lets an exception reach javac: the first one becomes one error with its trace, and the processor
 * then does nothing more in that compilation.
 *
 * <p>Option {@code -Adatamigrations.package=com.example}: the registry's package, by default the
 * longest common package of the migrations.
 */
@AutoService(Processor.class)
public final class DataMigrationProcessor extends AbstractProcessor {
  /** One round's work: {@link ProcessingStep#process}, or a test's stand-in. */
  @FunctionalInterface
  interface Step {
    void process(RoundEnvironment round) throws Exception;
  }

  private final Function<ProcessingEnvironment, Step> steps;
  private Step step;
  private boolean failed;

  /**
   * Creates the processor; public for {@link java.util.ServiceLoader} and javac's {@code
   * -processor}.
   */
  public DataMigrationProcessor() {
    this(env -> new ProcessingStep(env, new Reporter(env.getMessager()))::process);
  }

  /**
   * Creates a processor that runs {@code steps}' step instead of {@link ProcessingStep}. A test
   * hook, package private: {@code UnexpectedFailureTest} makes a round fail through it, to check
   * that the failure reaches javac as one error with its trace and never as an exception.
   */
  DataMigrationProcessor(Function<ProcessingEnvironment, Step> steps) {
    this.steps = steps;
  }

  @Override
  public synchronized void init(ProcessingEnvironment processingEnv) {
    super.init(processingEnv);
    step = steps.apply(processingEnv);
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
    if (failed) {
      return false; // the state of a failed round is unknown: one error with its trace is enough
    }
    try {
      step.process(round);
    } catch (Throwable t) { // a bug of ours must read as one clear error, not a javac crash
      failed = true;
      StringWriter trace = new StringWriter();
      t.printStackTrace(new PrintWriter(trace));
      processingEnv
          .getMessager()
          .printMessage(Diagnostic.Kind.ERROR, Messages.UNEXPECTED_FAILURE.format(trace));
    }
    return false;
  }
}
