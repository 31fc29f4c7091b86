package dev.datamigrations.processor;

import static com.google.common.truth.Truth.assertThat;
import static dev.datamigrations.processor.TestSources.compile;
import static dev.datamigrations.processor.TestSources.source;

import com.google.testing.compile.Compilation;
import dev.datamigrations.runtime.MigrationCatalog;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The checksum the processor puts in each descriptor: the SHA-256 of the tokens of the class
 * declaration. Formatting, comments, javadoc and imports do not count; any token of the declaration
 * (a literal, a statement, an annotation value, a nested type) does.
 */
class ChecksumTest {
  private static final String[] ORIGINAL = {
    "package com.acme;",
    "",
    "import dev.datamigrations.DataMigration;",
    "import dev.datamigrations.runtime.Migration;",
    "import org.jdbi.v3.core.Handle;",
    "",
    "/** Fixes the phone numbers. */",
    "@DataMigration(version = 1L, description = \"Fix phones\")",
    "public class Fix implements Migration {",
    "  private static final String SQL = \"UPDATE customers SET phone = REPLACE(phone, ' ', '')\";",
    "",
    "  @Override",
    "  public void up(Handle handle) {",
    "    handle.execute(SQL);",
    "    int i = 0;",
    "    i++;",
    "  }",
    "}"
  };

  private static Optional<String> checksumOf(String... lines) {
    Compilation compilation = compile(source("com.acme.Fix", lines));
    MigrationCatalog registry =
        CompiledClasses.of(compilation).plainRegistry("com.acme.MigrationRegistry");
    return registry.descriptors().get(0).checksum();
  }

  private static String original() {
    return checksumOf(ORIGINAL).orElseThrow();
  }

  @Test
  void theChecksumIsTheSha256OfTheDeclarationsTokensInHex() {
    assertThat(original()).matches("[0-9a-f]{64}");
    assertThat(checksumOf(ORIGINAL)).hasValue(original()); // stable
  }

  @Test
  void reformattingKeepsTheChecksum() {
    assertThat(
            checksumOf(
                "package com.acme;",
                "import dev.datamigrations.DataMigration;",
                "import dev.datamigrations.runtime.Migration;",
                "import org.jdbi.v3.core.Handle;",
                "@DataMigration(",
                "    version = 1L,",
                "    description = \"Fix phones\"",
                ")",
                "public class Fix",
                "    implements Migration",
                "{",
                "\tprivate static final String SQL =",
                "\t\t\"UPDATE customers SET phone = REPLACE(phone, ' ', '')\";",
                "  @Override public void up( Handle handle ) { handle . execute( SQL ) ;",
                "    int i=0; i ++; }",
                "}"))
        .hasValue(original());
  }

  @Test
  void commentsJavadocAndImportsDoNotCount() {
    assertThat(
            checksumOf(
                "package com.acme;",
                "",
                "import dev.datamigrations.runtime.Migration;",
                "import org.jdbi.v3.core.Handle;",
                "import dev.datamigrations.DataMigration;",
                "import java.util.List; // unused",
                "",
                "/**",
                " * Fixes the phone numbers, as asked in JIRA-123.",
                " */",
                "@DataMigration(version = 1L, /* kept */ description = \"Fix phones\")",
                "public class Fix implements Migration { // the one fix",
                "  private static final String SQL = \"UPDATE customers SET phone = REPLACE(phone, ' ', '')\";",
                "",
                "  /** Runs it. */",
                "  @Override",
                "  public void up(Handle handle) {",
                "    // a comment in the body",
                "    handle.execute(SQL); /* and one after */",
                "    int i = 0;",
                "    i++;",
                "  }",
                "}"))
        .hasValue(original());
  }

  @Test
  void aChangedStringLiteralChangesTheChecksum() {
    assertThat(checksumOf(replace("REPLACE(phone, ' ', '')", "REPLACE(phone, '-', '')")))
        .isNotEqualTo(Optional.of(original()));
  }

  @Test
  void whitespaceInsideAStringLiteralCounts() {
    assertThat(checksumOf(replace("SET phone = REPLACE", "SET phone  = REPLACE")))
        .isNotEqualTo(Optional.of(original()));
  }

  @Test
  void aChangedNumberChangesTheChecksum() {
    assertThat(checksumOf(replace("int i = 0;", "int i = 1;")))
        .isNotEqualTo(Optional.of(original()));
  }

  @Test
  void anAddedStatementChangesTheChecksum() {
    assertThat(checksumOf(replace("    i++;", "    i++;\n    handle.execute(SQL);")))
        .isNotEqualTo(Optional.of(original()));
  }

  @Test
  void aChangedOperatorGroupingChangesTheChecksum() {
    assertThat(checksumOf(replace("    i++;", "    i = i++ + i;")))
        .isNotEqualTo(checksumOf(replace("    i++;", "    i = i + ++i;")));
  }

  @Test
  void aChangedAnnotationValueChangesTheChecksum() {
    assertThat(
            checksumOf(replace("description = \"Fix phones\"", "description = \"Fix the phones\"")))
        .isNotEqualTo(Optional.of(original()));
    assertThat(
            checksumOf(
                replace(
                    "description = \"Fix phones\"",
                    "description = \"Fix phones\", transactional = false")))
        .isNotEqualTo(Optional.of(original()));
  }

  @Test
  void anAddedNestedTypeChangesTheChecksum() {
    assertThat(checksumOf(replace("    i++;\n  }", "    i++;\n  }\n  static class Helper {}")))
        .isNotEqualTo(Optional.of(original()));
  }

  @Test
  void aStatementAfterAUnicodeLineBreakInACommentChangesTheChecksum() {
    // javac translates a Unicode line-break escape before it finds comments: the call after it
    // runs.
    assertThat(checksumOf(replace("    i++;", "    i++; // \\u000a handle.execute(SQL);")))
        .isNotEqualTo(Optional.of(original()));
    assertThat(checksumOf(replace("    i++;", "    i++; /* \\u002a/ handle.execute(SQL); /* */")))
        .isNotEqualTo(Optional.of(original()));
  }

  @Test
  void aUnicodeEscapeCountsAsTheCharacterJavacReadsForIt() {
    assertThat(checksumOf(replace("int i = 0;", "int \\u0069 = 0;"))).hasValue(original());
    assertThat(checksumOf(replace("REPLACE(phone, ' ', '')", "REPLACE(phone, '\\u0020', '')")))
        .hasValue(original());
  }

  @Test
  void literalsThatLookLikeCommentsOrQuotesAreCodeAndCount() {
    String[] withLiterals =
        replace("    i++;", "    i++;\n    String c = \"/* x */ // y\" + '\"' + \"\\\"\";");
    assertThat(checksumOf(withLiterals)).isNotEqualTo(Optional.of(original()));
    String joined = String.join("\n", withLiterals);
    assertThat(checksumOf(joined.replace("/* x */", "/* z */").split("\n", -1)))
        .isNotEqualTo(checksumOf(withLiterals));
    assertThat(checksumOf(joined.replace("// y", "// w").split("\n", -1)))
        .isNotEqualTo(checksumOf(withLiterals));
  }

  @Test
  void eachNestedMigrationHasItsOwnChecksum() {
    Compilation compilation =
        compile(
            source(
                "com.acme.Fixes",
                "package com.acme;",
                "import dev.datamigrations.DataMigration;",
                "import dev.datamigrations.runtime.Migration;",
                "import org.jdbi.v3.core.Handle;",
                "public class Fixes {",
                "  @DataMigration(version = 1L)",
                "  public static class One implements Migration {",
                "    @Override public void up(Handle handle) {}",
                "  }",
                "  @DataMigration(version = 2L)",
                "  public static class Two implements Migration {",
                "    @Override public void up(Handle handle) {}",
                "  }",
                "}"));
    MigrationCatalog registry =
        CompiledClasses.of(compilation).plainRegistry("com.acme.MigrationRegistry");
    assertThat(registry.descriptors().get(0).checksum()).isPresent();
    assertThat(registry.descriptors().get(0).checksum())
        .isNotEqualTo(registry.descriptors().get(1).checksum());
  }

  private static String[] replace(String from, String to) {
    String joined = String.join("\n", ORIGINAL);
    if (!joined.contains(from)) {
      throw new AssertionError("the original has no " + from);
    }
    return joined.replace(from, to).split("\n", -1);
  }
}
