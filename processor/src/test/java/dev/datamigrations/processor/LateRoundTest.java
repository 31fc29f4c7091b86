package dev.datamigrations.processor;

import static com.google.testing.compile.CompilationSubject.assertThat;
import static com.google.testing.compile.Compiler.javac;
import static dev.datamigrations.processor.TestSources.migration;

import com.google.testing.compile.Compilation;
import dev.datamigrations.processor.internal.Messages;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.util.Set;
import javax.annotation.processing.AbstractProcessor;
import javax.annotation.processing.RoundEnvironment;
import javax.lang.model.SourceVersion;
import javax.lang.model.element.TypeElement;
import org.junit.jupiter.api.Test;

/**
 * The registry is written in the round that sees the migrations; one generated later is an error,
 * not lost.
 */
class LateRoundTest {

  /** Generates a migration in the first round, as another processor might. */
  static final class MigrationGenerator extends AbstractProcessor {
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
            processingEnv.getFiler().createSourceFile("com.acme.LateOne").openWriter()) {
          writer.write(
              "package com.acme;\n"
                  + "@dev.datamigrations.DataMigration(version = 7L)\n"
                  + "public class LateOne implements dev.datamigrations.runtime.Migration {\n"
                  + "  @Override public void up(org.jdbi.v3.core.Handle handle) {}\n"
                  + "}\n");
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }
      return false;
    }
  }

  @Test
  void lateMigration() {
    Compilation compilation =
        javac()
            .withProcessors(new DataMigrationProcessor(), new MigrationGenerator())
            .compile(migration("com.acme", "Early", 1));
    assertThat(compilation).failed();
    assertThat(compilation).hadErrorContaining(Messages.LATE_MIGRATION.format("com.acme.LateOne"));
  }
}
