package dev.datamigrations.processor;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;

/**
 * Runs javac with our processor into a real directory, as a build tool does: for what compile-testing's
 * in-memory files cannot show (a class output shared by two compilations, loading thousands of classes).
 */
final class DirectJavac {
  private DirectJavac() {}

  /** Compiles {@code sources} into {@code out} (also on the classpath), failing the test on any error. */
  static List<javax.tools.Diagnostic<? extends JavaFileObject>> compile(
      Path out, List<JavaFileObject> sources) {
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
    try (StandardJavaFileManager files = javac.getStandardFileManager(diagnostics, Locale.ROOT, null)) {
      List<String> options = new ArrayList<>();
      options.add("-d");
      options.add(out.toString());
      options.add("-classpath");
      options.add(System.getProperty("java.class.path") + File.pathSeparator + out);
      options.add("-implicit:none");
      JavaCompiler.CompilationTask task =
          javac.getTask(null, files, diagnostics, options, null, sources);
      task.setProcessors(List.of(new DataMigrationProcessor()));
      boolean ok = task.call();
      String errors =
          diagnostics.getDiagnostics().stream()
              .filter(d -> d.getKind() == javax.tools.Diagnostic.Kind.ERROR)
              .map(d -> d.toString())
              .collect(Collectors.joining("\n"));
      assertTrue(ok, "compilation failed:\n" + errors);
      return diagnostics.getDiagnostics();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Returns a loader of {@code out}'s classes on top of the test's (runtime, JDBI). */
  static URLClassLoader loader(Path out) {
    try {
      return new URLClassLoader(new URL[] {out.toUri().toURL()}, DirectJavac.class.getClassLoader());
    } catch (MalformedURLException e) {
      throw new IllegalStateException(e);
    }
  }
}
