package dev.datamigrations.testing;

import dev.datamigrations.runtime.MigrationCatalog;
import java.lang.reflect.Constructor;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * A JUnit 5 extension that builds a {@link MigrationTester} before each test, on a database (H2 in
 * memory) or schema of its own, hands it to the test method (and its {@code @BeforeEach} methods)
 * as a parameter, and closes it after the test: the H2 database is shut down, the schema dropped
 * with everything in it.
 *
 * <p>Declared with {@link DataMigrationsTest} (or
 * {@code @ExtendWith(DataMigrationsExtension.class)}, which reads the same settings), or registered
 * with its configuration, for a data source known only at run time:
 *
 * <pre>{@code
 * @Container static PostgreSQLContainer<?> postgres = new PostgreSQLContainer<>("postgres:16");
 *
 * @RegisterExtension
 * static DataMigrationsExtension migrations =
 *     DataMigrationsExtension.of(
 *         () -> MigrationTester.configure(new MigrationRegistry())
 *             .url(postgres.getJdbcUrl(), postgres.getUsername(), postgres.getPassword())
 *             .schemaSetup(dataSource -> Flyway.configure().dataSource(dataSource).load().migrate()));
 * }</pre>
 */
public final class DataMigrationsExtension
    implements BeforeEachCallback, AfterEachCallback, ParameterResolver {
  static final String CATALOG = "datamigrations.test.catalog";
  static final String SCHEMA_SETUP = "datamigrations.test.schemaSetup";
  static final String URL = "datamigrations.test.url";
  static final String USER = "datamigrations.test.user";
  static final String PASSWORD = "datamigrations.test.password";

  private static final ExtensionContext.Namespace NAMESPACE =
      ExtensionContext.Namespace.create(DataMigrationsExtension.class);

  private final Supplier<MigrationTester.Builder> configuration;

  /** Reads its settings from {@link DataMigrationsTest} and the JUnit configuration parameters. */
  public DataMigrationsExtension() {
    this.configuration = null;
  }

  private DataMigrationsExtension(Supplier<MigrationTester.Builder> configuration) {
    this.configuration = Objects.requireNonNull(configuration, "configuration");
  }

  /** Returns an extension whose testers {@code builder} builds, one per test. */
  public static DataMigrationsExtension of(MigrationTester.Builder builder) {
    Objects.requireNonNull(builder, "builder");
    return new DataMigrationsExtension(() -> builder);
  }

  /**
   * Returns an extension that asks {@code configuration} for a builder before each test, so that it
   * may read a container started after the extension was created.
   */
  public static DataMigrationsExtension of(Supplier<MigrationTester.Builder> configuration) {
    return new DataMigrationsExtension(configuration);
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    MigrationTester.Builder builder =
        configuration != null ? configuration.get() : declared(context);
    context.getStore(NAMESPACE).put(MigrationTester.class, builder.build());
  }

  @Override
  public void afterEach(ExtensionContext context) {
    MigrationTester tester =
        context.getStore(NAMESPACE).remove(MigrationTester.class, MigrationTester.class);
    if (tester != null) {
      tester.close();
    }
  }

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == MigrationTester.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    MigrationTester tester =
        context.getStore(NAMESPACE).get(MigrationTester.class, MigrationTester.class);
    if (tester == null) {
      throw new ParameterResolutionException(
          "No MigrationTester for "
              + parameter.getDeclaringExecutable()
              + ": the extension gives one to test"
              + " methods and their @BeforeEach methods only, not to constructors or @BeforeAll methods.");
    }
    return tester;
  }

  private static MigrationTester.Builder declared(ExtensionContext context) {
    Optional<DataMigrationsTest> annotation = annotation(context.getRequiredTestClass());
    ClassLoader loader = context.getRequiredTestClass().getClassLoader();
    MigrationTester.Builder builder =
        MigrationTester.configure(catalog(context, annotation, loader));
    Optional<Class<?>> declaredSetup =
        annotation
            .<Class<?>>map(DataMigrationsTest::schemaSetup)
            .filter(c -> c != SchemaSetup.class);
    Class<?> setup =
        declaredSetup.isPresent()
            ? declaredSetup.get()
            : context
                .getConfigurationParameter(SCHEMA_SETUP)
                .map(name -> load(name, loader, SCHEMA_SETUP))
                .orElse(null);
    if (setup != null) {
      Object instance = instantiate(setup, "schemaSetup");
      if (!(instance instanceof SchemaSetup schemaSetup)) {
        throw new ExtensionConfigurationException(
            setup.getName()
                + " is not a "
                + SchemaSetup.class.getName()
                + "; the schema set-up must implement it.");
      }
      builder.schemaSetup(schemaSetup);
    }
    Optional<String> url =
        annotation
            .map(DataMigrationsTest::url)
            .filter(u -> !u.isBlank())
            .or(() -> context.getConfigurationParameter(URL).filter(u -> !u.isBlank()));
    url.ifPresent(
        u ->
            builder.url(
                u,
                context.getConfigurationParameter(USER).orElse(null),
                context.getConfigurationParameter(PASSWORD).orElse(null)));
    return builder;
  }

  /**
   * Finds the annotation on the class, its superclasses (it is inherited) or, for a nested class,
   * its outer ones.
   */
  private static Optional<DataMigrationsTest> annotation(Class<?> testClass) {
    for (Class<?> type = testClass; type != null; type = type.getEnclosingClass()) {
      DataMigrationsTest found = type.getAnnotation(DataMigrationsTest.class);
      if (found == null) {
        for (var meta : type.getAnnotations()) {
          found = meta.annotationType().getAnnotation(DataMigrationsTest.class);
          if (found != null) {
            break;
          }
        }
      }
      if (found != null) {
        return Optional.of(found);
      }
    }
    return Optional.empty();
  }

  private static MigrationCatalog catalog(
      ExtensionContext context, Optional<DataMigrationsTest> annotation, ClassLoader loader) {
    Optional<Class<?>> declaredCatalog =
        annotation.<Class<?>>map(DataMigrationsTest::catalog).filter(c -> c != Void.class);
    Optional<Class<?>> named =
        declaredCatalog.isPresent()
            ? declaredCatalog
            : context.getConfigurationParameter(CATALOG).map(name -> load(name, loader, CATALOG));
    if (named.isPresent()) {
      Object instance = instantiate(named.get(), "catalog");
      if (instance instanceof Supplier<?> supplier) {
        instance = supplier.get();
      }
      if (!(instance instanceof MigrationCatalog catalog)) {
        throw new ExtensionConfigurationException(
            named.get().getName()
                + " is neither a MigrationCatalog nor a Supplier of one; name the generated"
                + " MigrationRegistry, or a Supplier whose get() returns it.");
      }
      return catalog;
    }
    List<MigrationCatalog> found =
        ServiceLoader.load(MigrationCatalog.class, loader).stream()
            .map(ServiceLoader.Provider::get)
            .toList();
    if (found.size() != 1) {
      throw new ExtensionConfigurationException(
          (found.isEmpty()
                  ? "No MigrationCatalog is registered for ServiceLoader on the test class path"
                  : "Several MigrationCatalogs are registered for ServiceLoader ("
                      + found.stream()
                          .map(c -> c.getClass().getName())
                          .collect(Collectors.joining(", "))
                      + ")")
              + ". Name one: @DataMigrationsTest(catalog = MigrationRegistry.class), or "
              + CATALOG
              + "=com.acme.migrations.MigrationRegistry in src/test/resources/junit-platform.properties (a registry"
              + " built by Dagger registers none: name a Supplier whose get() returns it).");
    }
    return found.get(0);
  }

  private static Class<?> load(String name, ClassLoader loader, String parameter) {
    try {
      return Class.forName(name.trim(), true, loader);
    } catch (ClassNotFoundException e) {
      throw new ExtensionConfigurationException(
          "Configuration parameter "
              + parameter
              + " names class "
              + name
              + ", which is not on the test class path.",
          e);
    }
  }

  private static Object instantiate(Class<?> type, String what) {
    try {
      Constructor<?> constructor = type.getDeclaredConstructor();
      constructor.setAccessible(true);
      return constructor.newInstance();
    } catch (ReflectiveOperationException | RuntimeException e) {
      throw new ExtensionConfigurationException(
          "Cannot create the "
              + what
              + " "
              + type.getName()
              + ": it needs a no-argument constructor ("
              + e
              + ").",
          e);
    }
  }
}
