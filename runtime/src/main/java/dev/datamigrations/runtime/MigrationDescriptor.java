package dev.datamigrations.runtime;

/**
 * What the compiler knows about one migration: read from its {@code @DataMigration} annotation and
 * its class, and written into the generated registry as a literal. Made through {@link
 * #migration(long, String, String, Transaction, Reversibility)} or {@link #backfill(long, String,
 * String, Reversibility)}:
 *
 * <pre>{@code
 * MigrationDescriptor.migration(20240831020834L, "Normalize phone numbers",
 *     "com.acme.NormalizePhoneNumbers", TRANSACTIONAL, IRREVERSIBLE)
 * MigrationDescriptor.backfill(20250301120000L, "Backfill full names",
 *     "com.acme.BackfillFullNames", REVERSIBLE)
 * }</pre>
 *
 * <p>The processor adds the checksum of the migration's source ({@link #withChecksum}), which the
 * runner stores in the history row and compares with it later ({@link MigrationRunner#validate()}):
 *
 * <pre>{@code
 * MigrationDescriptor.migration(20240831020834L, "Normalize phone numbers",
 *         "com.acme.NormalizePhoneNumbers", TRANSACTIONAL, IRREVERSIBLE)
 *     .withChecksum("9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08")
 * }</pre>
 *
 * <p>Every descriptor is complete and consistent: the constructor refuses a non-positive version, a
 * missing or blank description or class name, a transactional backfill, and a checksum that is not
 * 64 lower-case hexadecimal digits, with an {@link IllegalArgumentException} naming the rule.
 *
 * @param version the unique version, positive, see {@link
 *     dev.datamigrations.DataMigration#version()}
 * @param description the given or derived description, not blank
 * @param className the migration's binary class name, for messages and the history table, not blank
 * @param transactional whether it runs in one transaction together with its history row; never for
 *     a backfill
 * @param reversible whether the class overrides {@link Migration#down}
 * @param kind a plain migration or a {@code Backfill}; a backfill is never transactional as a whole
 *     (each of its batches is)
 * @param checksum the SHA-256 (64 lower-case hexadecimal digits) of the tokens of the migration's
 *     class declaration, computed by the processor; empty when the processor could not read the
 *     source (a class compiled by another compiler, or read back from a class file with no earlier
 *     checksum) or the descriptor was written by hand
 */
public record MigrationDescriptor(
    long version,
    String description,
    String className,
    boolean transactional,
    boolean reversible,
    MigrationKind kind,
    java.util.Optional<String> checksum) {

  private static final java.util.regex.Pattern SHA_256 =
      java.util.regex.Pattern.compile("[0-9a-f]{64}");

  /** Whether a plain migration runs in one transaction together with its history row. */
  public enum Transaction {
    /**
     * In one transaction with its history row: a failure leaves neither behind ({@code
     * transactional = true}).
     */
    TRANSACTIONAL,
    /**
     * In auto-commit; its history row is written after it succeeds ({@code transactional = false}).
     */
    NON_TRANSACTIONAL
  }

  /** Whether a migration can be undone: whether its class overrides {@link Migration#down}. */
  public enum Reversibility {
    /** The class overrides {@code down(Handle)}. */
    REVERSIBLE,
    /** The class keeps {@link Migration}'s {@code down}, which refuses. */
    IRREVERSIBLE
  }

  /**
   * Checks that the descriptor is complete and consistent. Prefer the factories {@code
   * migration(...)} and {@code backfill(...)}, which cannot express a transactional backfill.
   *
   * @throws IllegalArgumentException if the version is not positive, the description or class name
   *     is missing or blank, the kind is missing, a backfill is declared transactional, or the
   *     checksum is not 64 lower-case hexadecimal digits
   * @deprecated use {@link #migration(long, String, String, Transaction, Reversibility)} or {@link
   *     #backfill(long, String, String, Reversibility)}, whose named arguments replace the booleans
   */
  @Deprecated
  public MigrationDescriptor {
    String subject = "MigrationDescriptor " + version + " (" + description + ", " + className + ")";
    if (version <= 0) {
      throw new IllegalArgumentException(
          subject + ": the version must be positive, was " + version);
    }
    if (description == null || description.isBlank()) {
      throw new IllegalArgumentException(subject + ": the description must not be null or blank");
    }
    if (className == null || className.isBlank()) {
      throw new IllegalArgumentException(subject + ": the class name must not be null or blank");
    }
    if (kind == null) {
      throw new IllegalArgumentException(
          subject + ": the kind must not be null (MIGRATION or BACKFILL)");
    }
    if (kind == MigrationKind.BACKFILL && transactional) {
      throw new IllegalArgumentException(
          subject
              + ": a backfill cannot be transactional: each of its batches runs in a transaction of its own, so"
              + " the backfill as a whole never does. Use MigrationDescriptor.backfill(...).");
    }
    if (checksum == null) {
      throw new IllegalArgumentException(
          subject + ": the checksum must not be null (Optional.empty() when unknown)");
    }
    if (checksum.isPresent() && !SHA_256.matcher(checksum.get()).matches()) {
      throw new IllegalArgumentException(
          subject
              + ": the checksum must be a SHA-256 in 64 lower-case hexadecimal digits, was '"
              + checksum.get()
              + "'");
    }
  }

  /**
   * Describes a migration without a checksum.
   *
   * @deprecated use {@link #migration(long, String, String, Transaction, Reversibility)} or {@link
   *     #backfill(long, String, String, Reversibility)}, then {@link #withChecksum}
   */
  @Deprecated
  public MigrationDescriptor(
      long version,
      String description,
      String className,
      boolean transactional,
      boolean reversible,
      MigrationKind kind) {
    this(
        version,
        description,
        className,
        transactional,
        reversible,
        kind,
        java.util.Optional.empty());
  }

  /**
   * Describes a plain {@link Migration}.
   *
   * @deprecated use {@link #migration(long, String, String, Transaction, Reversibility)}, whose
   *     named arguments replace the booleans
   */
  @Deprecated
  public MigrationDescriptor(
      long version,
      String description,
      String className,
      boolean transactional,
      boolean reversible) {
    this(version, description, className, transactional, reversible, MigrationKind.MIGRATION);
  }

  /**
   * Returns the descriptor of a plain {@link Migration}, whose {@code up} runs once: in one
   * transaction with its history row if {@code transaction} is {@link Transaction#TRANSACTIONAL},
   * else in auto-commit.
   *
   * @throws IllegalArgumentException if the version is not positive or the description or class
   *     name is blank
   * @throws NullPointerException if {@code transaction} or {@code reversibility} is null
   */
  public static MigrationDescriptor migration(
      long version,
      String description,
      String className,
      Transaction transaction,
      Reversibility reversibility) {
    java.util.Objects.requireNonNull(transaction, "transaction");
    return new MigrationDescriptor(
        version,
        description,
        className,
        transaction == Transaction.TRANSACTIONAL,
        isReversible(reversibility),
        MigrationKind.MIGRATION);
  }

  /**
   * Returns the descriptor of a {@code Backfill}: never transactional as a whole, each of its
   * batches runs in a transaction of its own.
   *
   * @throws IllegalArgumentException if the version is not positive or the description or class
   *     name is blank
   * @throws NullPointerException if {@code reversibility} is null
   */
  public static MigrationDescriptor backfill(
      long version, String description, String className, Reversibility reversibility) {
    return new MigrationDescriptor(
        version,
        description,
        className,
        false,
        isReversible(reversibility),
        MigrationKind.BACKFILL);
  }

  private static boolean isReversible(Reversibility reversibility) {
    return java.util.Objects.requireNonNull(reversibility, "reversibility")
        == Reversibility.REVERSIBLE;
  }

  /**
   * Returns this descriptor with the checksum of the migration's source, as the processor computes
   * it: the SHA-256 of the tokens of its class declaration (see the README's "Changed migrations").
   *
   * @param sha256 64 lower-case hexadecimal digits
   * @throws IllegalArgumentException if {@code sha256} is not 64 lower-case hexadecimal digits
   */
  public MigrationDescriptor withChecksum(String sha256) {
    return new MigrationDescriptor(
        version,
        description,
        className,
        transactional,
        reversible,
        kind,
        java.util.Optional.of(java.util.Objects.requireNonNull(sha256, "sha256")));
  }

  /** Returns this descriptor without a checksum. */
  public MigrationDescriptor withoutChecksum() {
    return new MigrationDescriptor(
        version,
        description,
        className,
        transactional,
        reversible,
        kind,
        java.util.Optional.empty());
  }

  /** Returns whether it is a {@code Backfill}. */
  public boolean backfill() {
    return kind == MigrationKind.BACKFILL;
  }

  /** Returns whether it runs in one transaction with its history row, as a named value. */
  public Transaction transaction() {
    return transactional ? Transaction.TRANSACTIONAL : Transaction.NON_TRANSACTIONAL;
  }

  /** Returns whether its class overrides {@link Migration#down}, as a named value. */
  public Reversibility reversibility() {
    return reversible ? Reversibility.REVERSIBLE : Reversibility.IRREVERSIBLE;
  }

  /** Returns "version (description, class name)", the form every message uses. */
  @Override
  public String toString() {
    return version + " (" + description + ", " + className + ")";
  }
}
