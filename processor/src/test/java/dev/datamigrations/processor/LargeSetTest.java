package dev.datamigrations.processor;

import static com.google.common.truth.Truth.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.datamigrations.processor.internal.RegistryGenerator;
import dev.datamigrations.runtime.MigrationCatalog;
import dev.datamigrations.runtime.MigrationDescriptor;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * 10,000 migrations: the registry must stay within the JVM's limits (64 KiB of code per method,
 * 65,535 constant-pool entries per class), load, and list versions in numeric order whatever the
 * source order.
 */
class LargeSetTest {
  private static final int COUNT = 10_000;

  @Test
  void tenThousandMigrationsCompileLoadAndAreOrderedNumerically(@TempDir Path out)
      throws Exception {
    List<JavaFileObject> sources = new ArrayList<>();
    List<Integer> versions = new ArrayList<>();
    for (int version = 1; version <= COUNT; version++) {
      versions.add(version);
    }
    Collections.shuffle(versions, new Random(42)); // source order must not matter
    for (int version : versions) {
      // Spread over sub-packages, so that the registry goes to their common package.
      sources.add(
          TestSources.migration("com.acme.large.p" + (version % 7), "M" + version, version));
    }

    DirectJavac.compile(out, sources);

    assertThat(Files.exists(out.resolve("com/acme/large/MigrationRegistry$Part9.class"))).isTrue();

    try (URLClassLoader loader = DirectJavac.loader(out)) {
      MigrationCatalog registry =
          (MigrationCatalog)
              loader.loadClass("com.acme.large.MigrationRegistry").getConstructor().newInstance();
      List<MigrationDescriptor> descriptors = registry.descriptors();
      assertThat(descriptors).hasSize(COUNT);
      for (int i = 0; i < COUNT; i++) {
        assertThat(descriptors.get(i).version()).isEqualTo(i + 1L); // 9 before 10, 99 before 100...
      }
      for (int index :
          new int[] {
            0,
            8,
            9,
            99,
            RegistryGenerator.PART_SIZE - 1,
            RegistryGenerator.PART_SIZE,
            5_432,
            COUNT - 1
          }) {
        long version = index + 1L;
        String expected = "com.acme.large.p" + (version % 7) + ".M" + version;
        assertThat(descriptors.get(index).className()).isEqualTo(expected);
        assertThat(registry.instantiate(index).getClass().getName()).isEqualTo(expected);
      }
      assertThrows(IndexOutOfBoundsException.class, () -> registry.instantiate(COUNT));
      assertThrows(IndexOutOfBoundsException.class, () -> registry.instantiate(-1));
      assertThrows(UnsupportedOperationException.class, () -> descriptors.add(descriptors.get(0)));
    }
  }

  @Test
  void splitSetWithInjectedMigrationsUsesTheirProviders(@TempDir Path out) throws Exception {
    int count = RegistryGenerator.PART_SIZE + 1;
    List<JavaFileObject> sources = new ArrayList<>();
    for (int version = 1; version <= count; version++) {
      sources.add(
          version == 2 || version == count
              ? injected("com.acme.split", "M" + version, version)
              : TestSources.migration("com.acme.split", "M" + version, version));
    }

    DirectJavac.compile(out, sources);

    try (URLClassLoader loader = DirectJavac.loader(out)) {
      Class<?> registryClass = loader.loadClass("com.acme.split.MigrationRegistry");
      assertThrows(NoSuchMethodException.class, registryClass::getConstructor);
      Object second =
          loader.loadClass("com.acme.split.M2").getConstructor(String.class).newInstance("a");
      Object last =
          loader
              .loadClass("com.acme.split.M" + count)
              .getConstructor(String.class)
              .newInstance("b");
      javax.inject.Provider<?> secondProvider = () -> second;
      javax.inject.Provider<?> lastProvider = () -> last;
      MigrationCatalog registry =
          (MigrationCatalog)
              registryClass.getConstructors()[0].newInstance(secondProvider, lastProvider);
      assertThat(registry.descriptors()).hasSize(count);
      assertThat(registry.instantiate(1)).isSameInstanceAs(second);
      assertThat(registry.instantiate(count - 1)).isSameInstanceAs(last);
      assertThat(registry.instantiate(0).getClass().getName()).isEqualTo("com.acme.split.M1");
    }
  }

  /**
   * Returns a migration {@code pkg.name} whose {@code @javax.inject.Inject} constructor takes a
   * String.
   */
  static JavaFileObject injected(String pkg, String name, long version) {
    return TestSources.source(
        pkg + "." + name,
        "package " + pkg + ";",
        "import dev.datamigrations.DataMigration;",
        "import dev.datamigrations.runtime.Migration;",
        "import org.jdbi.v3.core.Handle;",
        "@DataMigration(version = " + version + "L)",
        "public class " + name + " implements Migration {",
        "  @javax.inject.Inject public " + name + "(String service) {}",
        "  @Override public void up(Handle handle) {}",
        "}");
  }
}
