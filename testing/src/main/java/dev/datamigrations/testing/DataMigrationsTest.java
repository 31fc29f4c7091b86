package dev.datamigrations.testing;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Gives each test method a {@link MigrationTester} parameter on a database of its own: H2 in memory
 * by default, created before the test and gone after it.
 *
 * <pre>{@code
 * @DataMigrationsTest(schemaSetup = TestSchema.class)
 * class FillFullNameTest {
 *   @Test
 *   void isReversible(MigrationTester tester) {
 *     tester.migrateBefore(20240901093000L).seed(handle -> handle.execute("INSERT INTO customers ..."));
 *     tester.assertReversible(20240901093000L, handle -> ..., handle -> ...);
 *   }
 * }
 * }</pre>
 *
 * <p>Each attribute left out is read from the JUnit configuration parameters (for a whole project:
 * {@code src/test/resources/junit-platform.properties}), then has its default:
 *
 * <table>
 *   <caption>Settings</caption>
 *   <tr><th>Attribute</th><th>Configuration parameter</th><th>Default</th></tr>
 *   <tr><td>{@link #catalog}</td><td>{@code datamigrations.test.catalog}</td><td>the one {@code MigrationCatalog}
 *       registered for {@link java.util.ServiceLoader} (the generated registry registers itself unless it is built
 *       by Dagger)</td></tr>
 *   <tr><td>{@link #schemaSetup}</td><td>{@code datamigrations.test.schemaSetup}</td><td>none</td></tr>
 *   <tr><td>{@link #url}</td><td>{@code datamigrations.test.url} (with {@code datamigrations.test.user},
 *       {@code datamigrations.test.password})</td><td>H2 in memory, a database per test</td></tr>
 * </table>
 *
 * <p>With a URL, each test gets a schema of its own in that database ({@link
 * Isolation#SCHEMA_PER_TEST}). To hand over a data source built at run time (a Testcontainers
 * container), register the extension in a field instead: {@link
 * DataMigrationsExtension#of(java.util.function.Supplier)}. Use one or the other, not both.
 */
@Target({ElementType.TYPE, ElementType.ANNOTATION_TYPE})
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ExtendWith(DataMigrationsExtension.class)
public @interface DataMigrationsTest {

  /**
   * The migrations: a {@code MigrationCatalog} class, or a {@code java.util.function.Supplier} of
   * one (for a registry built by Dagger: {@code get()} returns {@code
   * DaggerAppComponent.create().migrations()}), with a public no-argument constructor.
   */
  Class<?> catalog() default Void.class;

  /** What builds the schema before each test, with a public no-argument constructor. */
  Class<? extends SchemaSetup> schemaSetup() default SchemaSetup.class;

  /** The JDBC URL of your database; empty for H2 in memory. */
  String url() default "";
}
