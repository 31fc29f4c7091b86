package dev.datamigrations.processor;

import static com.google.common.truth.Truth.assertThat;
import static dev.datamigrations.processor.TestSources.migration;

import dev.datamigrations.runtime.MigrationCatalog;
import dev.datamigrations.runtime.MigrationDescriptor;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Maven with {@code useIncrementalCompilation=false} recompiles only stale sources into the same class output:
 * the registry must still list the migrations compiled earlier (read back through the index).
 */
class IncrementalTest {

  private static List<String> registered(Path out) throws Exception {
    try (URLClassLoader loader = DirectJavac.loader(out)) {
      MigrationCatalog registry =
          (MigrationCatalog) loader.loadClass("com.acme.MigrationRegistry").getConstructor().newInstance();
      return registry.descriptors().stream().map(MigrationDescriptor::toString).toList();
    }
  }

  @Test
  void recompilingASubsetKeepsTheMigrationsCompiledEarlier(@TempDir Path out) throws Exception {
    DirectJavac.compile(
        out, List.of(migration("com.acme.a", "First", 1), migration("com.acme.b", "Second", 2)));
    DirectJavac.compile(out, List.of(migration("com.acme.a", "Third", 3)));

    assertThat(registered(out))
        .containsExactly(
            "1 (First, com.acme.a.First)", "2 (Second, com.acme.b.Second)", "3 (Third, com.acme.a.Third)")
        .inOrder();
  }

  @Test
  void aRecompiledMigrationReplacesItsEarlierSelf(@TempDir Path out) throws Exception {
    DirectJavac.compile(
        out, List.of(migration("com.acme", "First", 1), migration("com.acme", "Second", 2)));
    DirectJavac.compile(out, List.of(migration("com.acme", "First", 5)));

    assertThat(registered(out))
        .containsExactly("2 (Second, com.acme.Second)", "5 (First, com.acme.First)")
        .inOrder();
  }

  @Test
  void aClassThatLostItsAnnotationIsDropped(@TempDir Path out) throws Exception {
    DirectJavac.compile(
        out, List.of(migration("com.acme", "First", 1), migration("com.acme", "Second", 2)));
    DirectJavac.compile(
        out,
        List.of(
            TestSources.source(
                "com.acme.Second", "package com.acme;", "public class Second {}"),
            migration("com.acme", "Third", 3)));

    assertThat(registered(out))
        .containsExactly("1 (First, com.acme.First)", "3 (Third, com.acme.Third)")
        .inOrder();
  }
}
