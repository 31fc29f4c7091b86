package dev.datamigrations.benchmarks;

import dev.datamigrations.processor.DataMigrationProcessor;
import java.io.File;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;

/**
 * Writes the N migrations of each library as Java sources and compiles them, at run time, into a
 * directory that is then put on a class loader (in-process) or on a child JVM's class path, as an
 * application would. Every migration inserts one row into {@code bench_rows}.
 */
final class Sources {
  static final String INSERT = "INSERT INTO bench_rows (id, note) VALUES (?, ?)";
  static final String OURS_PACKAGE = "bench.ours";
  static final String OURS_REGISTRY = OURS_PACKAGE + ".MigrationRegistry";
  static final String FLYWAY_PACKAGE = "bench.flyway";
  static final String FLYWAY_LOCATION = "classpath:bench/flyway";

  private Sources() {}

  /**
   * Writes {@code n} {@code @DataMigration} classes {@code bench.ours.InsertRow<i>}, versions 1..n.
   */
  static List<Path> writeOurs(Path sourceRoot, int n) {
    Path dir = sourceRoot.resolve("bench/ours");
    List<Path> files = new ArrayList<>(n);
    for (int i = 1; i <= n; i++) {
      String source =
          "package bench.ours;\n\n"
              + "import dev.datamigrations.DataMigration;\n"
              + "import dev.datamigrations.runtime.Migration;\n"
              + "import org.jdbi.v3.core.Handle;\n\n"
              + "@DataMigration(version = "
              + i
              + "L, description = \"Insert row "
              + i
              + "\")\n"
              + "public final class InsertRow"
              + i
              + " implements Migration {\n"
              + "  @Override\n"
              + "  public void up(Handle handle) {\n"
              + "    handle.execute(\""
              + INSERT
              + "\", "
              + i
              + ", \"row "
              + i
              + "\");\n"
              + "  }\n"
              + "}\n";
      files.add(write(dir.resolve("InsertRow" + i + ".java"), source));
    }
    return files;
  }

  /**
   * Writes {@code n} Flyway Java migrations {@code bench.flyway.V<i>__Insert_row}, found by its
   * scanning.
   */
  static List<Path> writeFlyway(Path sourceRoot, int n) {
    Path dir = sourceRoot.resolve("bench/flyway");
    List<Path> files = new ArrayList<>(n);
    for (int i = 1; i <= n; i++) {
      String source =
          "package bench.flyway;\n\n"
              + "import java.sql.PreparedStatement;\n"
              + "import org.flywaydb.core.api.migration.BaseJavaMigration;\n"
              + "import org.flywaydb.core.api.migration.Context;\n\n"
              + "public class V"
              + i
              + "__Insert_row extends BaseJavaMigration {\n"
              + "  @Override\n"
              + "  public void migrate(Context context) throws Exception {\n"
              + "    try (PreparedStatement insert = context.getConnection().prepareStatement(\""
              + INSERT
              + "\")) {\n"
              + "      insert.setInt(1, "
              + i
              + ");\n"
              + "      insert.setString(2, \"row "
              + i
              + "\");\n"
              + "      insert.executeUpdate();\n"
              + "    }\n"
              + "  }\n"
              + "}\n";
      files.add(write(dir.resolve("V" + i + "__Insert_row.java"), source));
    }
    return files;
  }

  /**
   * Compiles {@code sources} into {@code classes} in-process, with our processor when {@code
   * withProcessor} (the harness jar holds it and JavaPoet), against the harness's own class path.
   */
  static void compile(List<Path> sources, Path classes, boolean withProcessor) {
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    if (javac == null) {
      throw new IllegalStateException(
          "No system Java compiler: run the benchmarks on a JDK, not a JRE");
    }
    try (StandardJavaFileManager files = javac.getStandardFileManager(null, null, null)) {
      Files.createDirectories(classes);
      List<String> options =
          new ArrayList<>(
              List.of(
                  "-d",
                  classes.toString(),
                  "-classpath",
                  System.getProperty("java.class.path"),
                  "--release",
                  "17",
                  "-nowarn"));
      if (!withProcessor) {
        options.add("-proc:none");
      }
      Iterable<? extends JavaFileObject> units = files.getJavaFileObjectsFromPaths(sources);
      StringWriter out = new StringWriter();
      JavaCompiler.CompilationTask task = javac.getTask(out, files, null, options, null, units);
      if (withProcessor) {
        task.setProcessors(List.of(new DataMigrationProcessor()));
      }
      if (!task.call()) {
        throw new IllegalStateException("Compiling the generated migrations failed:\n" + out);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Returns a fresh class loader over {@code classes}, child of the harness's: classes load cold
   * each time.
   */
  static URLClassLoader loader(Path classes) {
    try {
      return new URLClassLoader(
          new URL[] {classes.toUri().toURL()}, Sources.class.getClassLoader());
    } catch (MalformedURLException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Returns the harness's class path: the shaded jar when run with {@code java -jar}. */
  static String harnessClassPath() {
    return System.getProperty("java.class.path");
  }

  static String classPath(String... entries) {
    return String.join(File.pathSeparator, entries);
  }

  private static Path write(Path file, String source) {
    try {
      Files.createDirectories(file.getParent());
      return Files.writeString(file, source);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
