package dev.datamigrations.processor.internal;

import com.sun.source.tree.CompilationUnitTree;
import com.sun.source.tree.Tree;
import com.sun.source.util.SourcePositions;
import com.sun.source.util.TreePath;
import com.sun.source.util.Trees;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;
import javax.annotation.processing.ProcessingEnvironment;
import javax.lang.model.element.TypeElement;

/**
 * Computes the checksum of a migration's source: the SHA-256, in lower-case hex, of the tokens
 * ({@link JavaTokens}) of its class declaration, from its first annotation or modifier to its
 * closing brace, each token followed by a NUL character.
 *
 * <p>What counts: every token of the declaration, so its annotations (the {@code @DataMigration}
 * values too), modifiers, name, type parameters, supertypes, fields, methods, constructors,
 * initializers and nested types, every literal, statement and annotation value in them. What does
 * not: whitespace and line breaks, comments and javadoc, the package clause and the imports (they
 * name classes but are no code of the migration: moving a helper class to another package leaves
 * its migrations unchanged), and the code of the classes the migration calls or extends.
 *
 * <p>Where the source tree is not available, there is no checksum rather than a wrong one: a
 * compiler other than javac ({@link Trees#instance} refuses its environment), or a class read back
 * from its class file (the caller then keeps the one the previous compilation recorded, see {@link
 * MigrationIndex}).
 */
public final class SourceChecksums {
  private final Trees trees;

  private SourceChecksums(Trees trees) {
    this.trees = trees;
  }

  /** Returns the checksums of {@code env}'s compilation; none at all where it is not javac's. */
  public static SourceChecksums of(ProcessingEnvironment env) {
    try {
      return new SourceChecksums(Trees.instance(env));
    } catch (IllegalArgumentException | LinkageError notJavac) {
      return new SourceChecksums(null);
    }
  }

  /** Returns the checksum of {@code type}'s source, or empty where its tree is not available. */
  public Optional<String> of(TypeElement type) {
    if (trees == null) {
      return Optional.empty();
    }
    TreePath path = trees.getPath(type);
    if (path == null) {
      return Optional.empty(); // read from a class file
    }
    CompilationUnitTree unit = path.getCompilationUnit();
    Tree declaration = path.getLeaf();
    SourcePositions positions = trees.getSourcePositions();
    long start = positions.getStartPosition(unit, declaration);
    long end = positions.getEndPosition(unit, declaration);
    CharSequence source;
    try {
      source = unit.getSourceFile().getCharContent(true);
    } catch (IOException | RuntimeException unreadable) {
      return Optional.empty();
    }
    if (start < 0 || end <= start || end > source.length()) {
      return Optional.empty(); // javac kept no end positions
    }
    return Optional.of(sha256(source.subSequence((int) start, (int) end)));
  }

  /** Returns the SHA-256 of {@code declaration}'s tokens, as lower-case hex. */
  static String sha256(CharSequence declaration) {
    MessageDigest digest;
    try {
      digest = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
    for (String token : JavaTokens.of(declaration)) {
      digest.update(token.getBytes(StandardCharsets.UTF_8));
      digest.update((byte) 0);
    }
    return HexFormat.of().formatHex(digest.digest());
  }
}
