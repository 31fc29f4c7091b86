package dev.datamigrations.processor;

import static com.google.common.truth.Truth.assertThat;
import static com.google.testing.compile.CompilationSubject.assertThat;
import static com.google.testing.compile.Compiler.javac;
import static dev.datamigrations.processor.TestSources.migration;

import com.google.testing.compile.Compilation;
import dev.datamigrations.processor.internal.Messages;
import dev.datamigrations.processor.internal.MigrationIndex;
import dev.datamigrations.processor.internal.ServiceFile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import javax.annotation.processing.AbstractProcessor;
import javax.annotation.processing.RoundEnvironment;
import javax.lang.model.SourceVersion;
import javax.lang.model.element.TypeElement;
import javax.tools.Diagnostic;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Failures that are not the user's mistake: a bug of ours (made through the processor's
 * package-private test hook) becomes exactly one error with its trace and never reaches javac as an
 * exception; a file the filer refuses is an error that says which file and why, not "a bug".
 */
class UnexpectedFailureTest {

  /**
   * Compiles a migration with a processor whose every round runs {@code failingStep}; checks that
   * the processor ran it once and no more (javac calls the processor again for its last round).
   */
  private static Compilation compileWithFailingStep(DataMigrationProcessor.Step failingStep) {
    AtomicInteger calls = new AtomicInteger();
    DataMigrationProcessor failing =
        new DataMigrationProcessor(
            env ->
                round -> {
                  calls.incrementAndGet();
                  failingStep.process(round);
                });
    // compile-testing rethrows whatever a processor lets escape, so getting a Compilation back is
    // the proof.
    Compilation compilation =
        javac().withProcessors(failing).compile(migration("com.acme", "First", 1));
    assertThat(calls.get()).isEqualTo(1);
    return compilation;
  }

  private static void assertOneErrorWithTrace(Compilation compilation, String thrown) {
    assertThat(compilation).failed();
    assertThat(compilation).hadErrorCount(1);
    String error = compilation.errors().get(0).getMessage(Locale.ROOT);
    assertThat(error).startsWith(Messages.UNEXPECTED_FAILURE.format(""));
    assertThat(error).contains(thrown);
    assertThat(error)
        .contains("at " + UnexpectedFailureTest.class.getName()); // the trace, not only the text
  }

  @Test
  void anExceptionInsideTheProcessorBecomesOneErrorWithItsTrace() {
    Compilation compilation =
        compileWithFailingStep(
            round -> {
              throw new IllegalStateException("broken invariant in a round");
            });
    assertOneErrorWithTrace(
        compilation, "java.lang.IllegalStateException: broken invariant in a round");
  }

  @Test
  void anErrorInsideTheProcessorBecomesOneErrorWithItsTrace() {
    Compilation compilation =
        compileWithFailingStep(
            round -> {
              throw new AssertionError("unreachable branch reached");
            });
    assertOneErrorWithTrace(compilation, "java.lang.AssertionError: unreachable branch reached");
  }

  /** Creates {@code com.acme.MigrationRegistry} first, as a clashing processor would. */
  static final class ClashingProcessor extends AbstractProcessor {
    private boolean done;

    @Override
    public Set<String> getSupportedAnnotationTypes() {
      return Set.of("*");
    }

    @Override
    public SourceVersion getSupportedSourceVersion() {
      return SourceVersion.latestSupported();
    }

    @Override
    public boolean process(Set<? extends TypeElement> annotations, RoundEnvironment round) {
      if (!done) {
        done = true;
        try (Writer writer =
            processingEnv.getFiler().createSourceFile("com.acme.MigrationRegistry").openWriter()) {
          writer.write("package com.acme;\npublic class MigrationRegistry {}\n");
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }
      return false;
    }
  }

  @Test
  void aFileTheFilerRefusesIsAnErrorNamingIt(@TempDir Path out) {
    List<Diagnostic<? extends JavaFileObject>> errors =
        DirectJavac.errors(
            DirectJavac.attempt(
                out,
                List.of(migration("com.acme", "First", 1)),
                List.of(new ClashingProcessor(), new DataMigrationProcessor())));
    assertThat(errors).hasSize(1);
    assertThat(errors.get(0).getMessage(Locale.ROOT))
        .isEqualTo(
            Messages.WRITE_FAILED.format(
                "com.acme.MigrationRegistry",
                "javax.annotation.processing.FilerException: Attempt to recreate a file for type"
                    + " com.acme.MigrationRegistry"));
    assertThat(errors.get(0).getSource().getName()).endsWith("First.java");
    assertThat(Files.exists(out.resolve(ServiceFile.PATH))).isFalse();
    assertThat(Files.exists(out.resolve(MigrationIndex.PATH))).isFalse();
  }
}
