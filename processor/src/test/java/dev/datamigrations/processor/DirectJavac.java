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
 * Runs javac with our processor into a real directory, as a build tool does: for what
 * compile-testing's in-memory files cannot show (a class output shared by two compilations, loading
 * thousands of classes).
 */
final class DirectJavac {
  private DirectJavac() {}

  /**
   * Compiles {@code sources} into {@code out} (also on the classpath), failing the test on any
   * error.
   */
  static List<javax.tools.Diagnostic<? extends JavaFileObject>> compile(
      Path out, List<JavaFileObject> sources) {
    List<javax.tools.Diagnostic<? extends JavaFileObject>> diagnostics =
        attempt(out, sources, List.of(new DataMigrationProcessor()));
    String errors =
        diagnostics.stream()
            .filter(d -> d.getKind() == javax.tools.Diagnostic.Kind.ERROR)
            .map(d -> d.toString())
            .collect(Collectors.joining("\n"));
    assertTrue(errors.isEmpty(), "compilation failed:\n" + errors);
    return diagnostics;
  }

  /** Returns the errors among {@code diagnostics}. */
  static List<javax.tools.Diagnostic<? extends JavaFileObject>> errors(
      List<javax.tools.Diagnostic<? extends JavaFileObject>> diagnostics) {
    return diagnostics.stream()
        .filter(d -> d.getKind() == javax.tools.Diagnostic.Kind.ERROR)
        .toList();
  }

  /**
   * Compiles {@code sources} into {@code out} with {@code processors}, whatever the outcome: for
   * builds expected to fail, whose outputs compile-testing does not show. Generated sources go to
   * {@code out} too.
   */
  static List<javax.tools.Diagnostic<? extends JavaFileObject>> attempt(
      Path out,
      List<JavaFileObject> sources,
      List<? extends javax.annotation.processing.Processor> processors) {
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
    try (StandardJavaFileManager files =
        javac.getStandardFileManager(diagnostics, Locale.ROOT, null)) {
      List<String> options = new ArrayList<>();
      options.add("-d");
      options.add(out.toString());
      options.add("-classpath");
      options.add(System.getProperty("java.class.path") + File.pathSeparator + out);
      options.add("-implicit:none");
      options.add("-Xmaxerrs"); // javac shows 100 errors by default; tests count them all
      options.add("100000");
      JavaCompiler.CompilationTask task =
          javac.getTask(null, files, diagnostics, options, null, sources);
      task.setProcessors(processors);
      task.call();
      return diagnostics.getDiagnostics();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Checks that {@code out} holds no registry (source or class, nested classes included), no
   * service entry (plain or factory) and no index: what a build with errors must leave behind, so
   * that nothing half-made is packaged or read by the next build.
   */
  static void assertNothingWritten(Path out) {
    List<String> written = registryOutputs(out);
    assertTrue(written.isEmpty(), "an erroneous build wrote " + written);
  }

  /**
   * Returns the registry sources and classes, service entries and index under {@code out}, relative
   * to it.
   */
  static List<String> registryOutputs(Path out) {
    try (java.util.stream.Stream<Path> files = java.nio.file.Files.walk(out)) {
      return files
          .map(path -> out.relativize(path).toString().replace(File.separatorChar, '/'))
          .filter(
              path -> {
                String name = path.substring(path.lastIndexOf('/') + 1);
                return (name.startsWith("MigrationRegistry")
                        && (name.endsWith(".java") || name.endsWith(".class")))
                    || path.equals(dev.datamigrations.processor.internal.ServiceFile.PATH)
                    || path.equals(dev.datamigrations.processor.internal.ServiceFile.FACTORY_PATH)
                    || path.equals(dev.datamigrations.processor.internal.MigrationIndex.PATH);
              })
          .sorted()
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Returns a loader of {@code out}'s classes on top of the test's (runtime, JDBI). */
  static URLClassLoader loader(Path out) {
    try {
      return new URLClassLoader(
          new URL[] {out.toUri().toURL()}, DirectJavac.class.getClassLoader());
    } catch (MalformedURLException e) {
      throw new IllegalStateException(e);
    }
  }
}
