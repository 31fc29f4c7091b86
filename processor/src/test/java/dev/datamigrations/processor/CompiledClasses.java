package dev.datamigrations.processor;

import static com.google.common.truth.Truth.assertWithMessage;

import com.google.testing.compile.Compilation;
import dev.datamigrations.runtime.MigrationCatalog;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Map;
import javax.tools.JavaFileObject;

/**
 * Loads the class files of a compile-testing {@link Compilation} (the migrations, the generated
 * registry, Dagger's component) on top of the test's class path (runtime, JDBI, inject APIs), so
 * that a test can call what was generated instead of reading its text.
 */
final class CompiledClasses extends ClassLoader {
  private final Map<String, JavaFileObject> classFiles = new HashMap<>();

  private CompiledClasses(Compilation compilation) {
    super(CompiledClasses.class.getClassLoader());
    for (JavaFileObject file : compilation.generatedFiles()) {
      if (file.getKind() == JavaFileObject.Kind.CLASS) {
        // compile-testing names class outputs /CLASS_OUTPUT/com/acme/Name.class
        String path = file.toUri().getPath();
        String binaryName =
            path.substring(
                    path.indexOf("/CLASS_OUTPUT/") + "/CLASS_OUTPUT/".length(), path.length() - 6)
                .replace('/', '.');
        classFiles.put(binaryName, file);
      }
    }
  }

  /** Returns a loader of {@code compilation}'s classes, which must have succeeded. */
  static CompiledClasses of(Compilation compilation) {
    assertWithMessage("compilation status")
        .that(compilation.status())
        .isEqualTo(Compilation.Status.SUCCESS);
    return new CompiledClasses(compilation);
  }

  @Override
  protected Class<?> findClass(String name) throws ClassNotFoundException {
    JavaFileObject file = classFiles.get(name);
    if (file == null) {
      throw new ClassNotFoundException(name);
    }
    try (InputStream in = file.openInputStream()) {
      byte[] bytes = in.readAllBytes();
      return defineClass(name, bytes, 0, bytes.length);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Loads {@code name}, failing the test if it was not compiled. */
  Class<?> load(String name) {
    try {
      return loadClass(name);
    } catch (ClassNotFoundException e) {
      throw new AssertionError("not compiled: " + name + "; compiled: " + classFiles.keySet(), e);
    }
  }

  /**
   * Creates the plain registry {@code name} with its public no-argument constructor, as
   * ServiceLoader does.
   */
  MigrationCatalog plainRegistry(String name) {
    try {
      return (MigrationCatalog) load(name).getConstructor().newInstance();
    } catch (ReflectiveOperationException e) {
      throw new AssertionError("cannot create " + name, e);
    }
  }
}
