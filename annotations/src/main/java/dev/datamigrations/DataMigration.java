package dev.datamigrations;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a class as a data migration: a one-off change to data (a backfill, a fix, seed records),
 * kept apart from schema migrations and applied once per database, in ascending {@link #version()}
 * order.
 *
 * <p>The annotated class must be a public, concrete, top-level or static nested class that
 * implements {@code dev.datamigrations.runtime.Migration} and has either a public no-argument
 * constructor or an {@code @Inject} constructor (then Dagger builds it). The datamigrations
 * annotation processor checks all of this at compile time, together with the versions, and
 * generates a {@code MigrationRegistry} listing every migration of the compilation; a mistake fails
 * the build with an error on the offending class.
 *
 * <pre>{@code
 * @DataMigration(version = 20240831020834L, description = "Normalize phone numbers")
 * public final class NormalizePhoneNumbers implements Migration {
 *   @Override
 *   public void up(Handle handle) {
 *     handle.execute("UPDATE customers SET phone = REGEXP_REPLACE(phone, '[^0-9+]', '')");
 *   }
 * }
 * }</pre>
 *
 * <p>Retained in class files (not at run time) so that an incremental compilation can still see
 * migrations compiled earlier; nothing reads it reflectively.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.TYPE)
public @interface DataMigration {

  /**
   * Returns the migration's version: unique across the application, and by convention the {@code
   * yyyyMMddHHmmss} UTC date-time at which the migration was written (for example {@code
   * 20240831020834L}), so that migrations written on different branches do not clash. Small
   * positive sequence numbers (1, 2, 3...) are accepted too, but do not mix the two styles.
   */
  long version();

  /**
   * Returns a human-readable description, shown by {@code status} and stored in the history table.
   * When empty, it is derived from the class name: {@code UpdatePhoneNumbers} becomes "Update phone
   * numbers".
   */
  String description() default "";

  /**
   * Returns whether the migration runs in a transaction of its own, together with the insert of its
   * history row, so that a failure leaves neither its changes nor its row behind (the default).
   *
   * <p>Set to {@code false} for work that cannot run in one transaction (long backfills that commit
   * as they go, {@code CREATE INDEX CONCURRENTLY}, ...): the migration then runs in auto-commit
   * mode and its history row is written only after it succeeds, so it must be safe to run again
   * after a failure. This is Rails' {@code disable_ddl_transaction!}.
   */
  boolean transactional() default true;
}
