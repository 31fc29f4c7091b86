package dev.datamigrations.processor;

import static com.google.common.truth.Truth.assertThat;
import static dev.datamigrations.processor.TestSources.migration;
import static dev.datamigrations.runtime.MigrationDescriptor.Reversibility.IRREVERSIBLE;
import static dev.datamigrations.runtime.MigrationDescriptor.Transaction.TRANSACTIONAL;

import dev.datamigrations.runtime.MigrationCatalog;
import dev.datamigrations.runtime.MigrationDescriptor;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Maven with {@code useIncrementalCompilation=false} recompiles only stale sources into the same
 * class output: the registry must still list the migrations compiled earlier (read back through the
 * index).
 */
class IncrementalTest {

  /**
   * Returns the descriptors of the registry in {@code out}, and checks that it creates each
   * migration.
   */
  private static List<MigrationDescriptor> registered(Path out) throws Exception {
    try (URLClassLoader loader = DirectJavac.loader(out)) {
      MigrationCatalog registry =
          (MigrationCatalog)
              loader.loadClass("com.acme.MigrationRegistry").getConstructor().newInstance();
      List<MigrationDescriptor> descriptors = registry.descriptors();
      for (int i = 0; i < descriptors.size(); i++) {
        assertThat(registry.instantiate(i).getClass().getName())
            .isEqualTo(descriptors.get(i).className());
      }
      return descriptors.stream().map(MigrationDescriptor::withoutChecksum).toList();
    }
  }

  /** Returns the checksums of the registry in {@code out}, by class name. */
  private static java.util.Map<String, java.util.Optional<String>> checksums(Path out)
      throws Exception {
    try (URLClassLoader loader = DirectJavac.loader(out)) {
      MigrationCatalog registry =
          (MigrationCatalog)
              loader.loadClass("com.acme.MigrationRegistry").getConstructor().newInstance();
      java.util.Map<String, java.util.Optional<String>> checksums = new java.util.TreeMap<>();
      registry.descriptors().forEach(d -> checksums.put(d.className(), d.checksum()));
      return checksums;
    }
  }

  /** The descriptor {@link TestSources#migration} compiles to: transactional, no {@code down}. */
  private static MigrationDescriptor plain(long version, String className) {
    return MigrationDescriptor.migration(
        version,
        className.substring(className.lastIndexOf('.') + 1),
        className,
        TRANSACTIONAL,
        IRREVERSIBLE);
  }

  @Test
  void recompilingASubsetKeepsTheMigrationsCompiledEarlier(@TempDir Path out) throws Exception {
    DirectJavac.compile(
        out, List.of(migration("com.acme.a", "First", 1), migration("com.acme.b", "Second", 2)));
    DirectJavac.compile(out, List.of(migration("com.acme.a", "Third", 3)));

    assertThat(registered(out))
        .containsExactly(
            plain(1, "com.acme.a.First"),
            plain(2, "com.acme.b.Second"),
            plain(3, "com.acme.a.Third"))
        .inOrder();
  }

  @Test
  void aMigrationReadBackFromItsClassFileKeepsTheChecksumOfItsSource(@TempDir Path out)
      throws Exception {
    DirectJavac.compile(
        out, List.of(migration("com.acme.a", "First", 1), migration("com.acme.b", "Second", 2)));
    java.util.Map<String, java.util.Optional<String>> before = checksums(out);
    DirectJavac.compile(out, List.of(migration("com.acme.a", "Third", 3)));

    java.util.Map<String, java.util.Optional<String>> after = checksums(out);
    assertThat(before.get("com.acme.a.First")).isPresent();
    assertThat(after.get("com.acme.a.First")).isEqualTo(before.get("com.acme.a.First"));
    assertThat(after.get("com.acme.b.Second")).isEqualTo(before.get("com.acme.b.Second"));
    assertThat(after.get("com.acme.a.Third")).isPresent();
  }

  @Test
  void aRecompiledMigrationReplacesItsEarlierSelf(@TempDir Path out) throws Exception {
    DirectJavac.compile(
        out, List.of(migration("com.acme", "First", 1), migration("com.acme", "Second", 2)));
    DirectJavac.compile(out, List.of(migration("com.acme", "First", 5)));

    assertThat(registered(out))
        .containsExactly(plain(2, "com.acme.Second"), plain(5, "com.acme.First"))
        .inOrder();
  }

  @Test
  void aClassThatLostItsAnnotationIsDropped(@TempDir Path out) throws Exception {
    DirectJavac.compile(
        out, List.of(migration("com.acme", "First", 1), migration("com.acme", "Second", 2)));
    DirectJavac.compile(
        out,
        List.of(
            TestSources.source("com.acme.Second", "package com.acme;", "public class Second {}"),
            migration("com.acme", "Third", 3)));

    assertThat(registered(out))
        .containsExactly(plain(1, "com.acme.First"), plain(3, "com.acme.Third"))
        .inOrder();
  }
}
