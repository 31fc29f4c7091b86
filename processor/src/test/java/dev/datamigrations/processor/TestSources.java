package dev.datamigrations.processor;

import static com.google.testing.compile.Compiler.javac;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.JavaFileObjects;
import javax.tools.JavaFileObject;

/** Builds test sources and runs the processor on them. */
final class TestSources {
  private TestSources() {}

  /** Returns a source named after {@code qualifiedName}. */
  static JavaFileObject source(String qualifiedName, String... lines) {
    return JavaFileObjects.forSourceLines(qualifiedName, lines);
  }

  /** Returns a plain migration {@code pkg.name} with {@code version}. */
  static JavaFileObject migration(String pkg, String name, long version) {
    return source(
        pkg + "." + name,
        "package " + pkg + ";",
        "",
        "import dev.datamigrations.DataMigration;",
        "import dev.datamigrations.runtime.Migration;",
        "import org.jdbi.v3.core.Handle;",
        "",
        "@DataMigration(version = " + version + "L)",
        "public class " + name + " implements Migration {",
        "  @Override public void up(Handle handle) {}",
        "}");
  }

  /** Compiles {@code sources} with our processor only. */
  static Compilation compile(JavaFileObject... sources) {
    return javac().withProcessors(new DataMigrationProcessor()).compile(sources);
  }

  /** Compiles {@code sources} with our processor and {@code options}. */
  static Compilation compile(Iterable<String> options, JavaFileObject... sources) {
    return javac()
        .withProcessors(new DataMigrationProcessor())
        .withOptions(options)
        .compile(sources);
  }
}
