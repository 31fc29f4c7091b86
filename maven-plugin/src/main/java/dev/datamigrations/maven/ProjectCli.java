package dev.datamigrations.maven;

import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.reflect.InvocationTargetException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.sql.Driver;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.function.Supplier;
import org.apache.maven.plugin.MojoExecutionException;

/**
 * Runs {@code dev.datamigrations.cli.DataMigrationsCli} inside the project: in a class loader over
 * the project's compiled classes and runtime class path (its registry, its JDBC driver, its
 * versions of the libraries), with the plugin's own command line jars only where the project has
 * none. The loader's parent is the platform class loader, so nothing of Maven's leaks into the
 * project's classes.
 */
final class ProjectCli {
  private static final String CLI_CLASS = "dev.datamigrations.cli.DataMigrationsCli";
  private static final String CATALOG_CLASS = "dev.datamigrations.runtime.MigrationCatalog";

  /**
   * The system properties the command line may set to choose its SLF4J provider (see its
   * CliLogging).
   */
  private static final List<String> SLF4J_PROPERTIES =
      List.of("slf4j.provider", "slf4j.internal.verbosity");

  private final List<File> classPath;
  private final String catalogClass;

  /**
   * @param classPath the project's class path, then the plugin's jars it lacks
   * @param catalogClass a {@code MigrationCatalog}, or a {@code Supplier} of one, to create with
   *     its public no-arg constructor; null to find the generated registry through its {@code
   *     ServiceLoader} entry
   */
  ProjectCli(List<File> classPath, String catalogClass) {
    this.classPath = List.copyOf(classPath);
    this.catalogClass = catalogClass;
  }

  /** Runs the command line with {@code args} and returns its exit code. */
  int execute(List<String> args, Map<String, String> environment, PrintStream out, PrintStream err)
      throws MojoExecutionException {
    Thread thread = Thread.currentThread();
    ClassLoader previousLoader = thread.getContextClassLoader();
    // The command line may choose its own SLF4J provider for this JVM; do not leave the choice to
    // later plugins.
    Map<String, String> previousSlf4j = new java.util.HashMap<>();
    SLF4J_PROPERTIES.forEach(name -> previousSlf4j.put(name, System.getProperty(name)));
    try (URLClassLoader loader =
        new URLClassLoader(
            "datamigrations-project", urls(), ClassLoader.getPlatformClassLoader())) {
      thread.setContextClassLoader(loader);
      registerDrivers(loader);
      Class<?> cli = load(loader, CLI_CLASS);
      Object builder =
          catalogClass == null
              ? cli.getMethod("fromServiceLoader").invoke(null)
              : cli.getMethod("forCatalog", load(loader, CATALOG_CLASS))
                  .invoke(null, catalog(loader));
      Class<?> type = builder.getClass();
      type.getMethod("out", PrintStream.class).invoke(builder, out);
      type.getMethod("err", PrintStream.class).invoke(builder, err);
      type.getMethod("environment", Map.class).invoke(builder, environment);
      return (Integer)
          type.getMethod("execute", String[].class)
              .invoke(builder, (Object) args.toArray(String[]::new));
    } catch (InvocationTargetException e) {
      throw new MojoExecutionException(
          "The datamigrations command line failed: " + e.getCause(), e.getCause());
    } catch (ReflectiveOperationException e) {
      throw new MojoExecutionException(
          "Cannot start the datamigrations command line from the project's class path: "
              + e
              + ". Make the project depend on dev.datamigrations:datamigrations-runtime of the plugin's version.",
          e);
    } catch (IOException e) {
      throw new MojoExecutionException("Cannot close the project's class loader: " + e, e);
    } finally {
      thread.setContextClassLoader(previousLoader);
      previousSlf4j.forEach(
          (name, value) -> {
            if (value == null) {
              System.clearProperty(name);
            } else {
              System.setProperty(name, value);
            }
          });
    }
  }

  private Object catalog(ClassLoader loader)
      throws MojoExecutionException, ReflectiveOperationException {
    Class<?> catalogType = load(loader, CATALOG_CLASS);
    Object created;
    try {
      created = load(loader, catalogClass).getConstructor().newInstance();
    } catch (NoSuchMethodException e) {
      throw new MojoExecutionException(
          "<catalog>"
              + catalogClass
              + "</catalog> has no public no-argument constructor. Name a MigrationCatalog,"
              + " or a java.util.function.Supplier of one (for example one that returns"
              + " DaggerAppComponent.create().migrations()).",
          e);
    }
    Object catalog = created instanceof Supplier<?> supplier ? supplier.get() : created;
    if (!catalogType.isInstance(catalog)) {
      throw new MojoExecutionException(
          "<catalog>"
              + catalogClass
              + "</catalog> is neither a "
              + CATALOG_CLASS
              + " nor a java.util.function.Supplier of one; "
              + (catalog == null
                  ? "it supplied null."
                  : "it is (or supplied) a " + catalog.getClass().getName() + "."));
    }
    return catalog;
  }

  private Class<?> load(ClassLoader loader, String name) throws MojoExecutionException {
    try {
      return Class.forName(name, true, loader);
    } catch (ClassNotFoundException e) {
      throw new MojoExecutionException(
          "Class "
              + name
              + " is not on the project's class path (target/classes and its runtime dependencies)."
              + (name.equals(catalogClass)
                  ? " Check <catalog>, and compile the project first."
                  : ""),
          e);
    }
  }

  /**
   * Loads the JDBC drivers of the project's class path, which register themselves with {@code
   * DriverManager}: its own look-up ran, if at all, before this class loader existed.
   */
  private static void registerDrivers(ClassLoader loader) {
    Iterator<Driver> drivers = ServiceLoader.load(Driver.class, loader).iterator();
    while (true) {
      try {
        if (!drivers.hasNext()) {
          return;
        }
        drivers.next();
      } catch (ServiceConfigurationError e) {
        // A driver that cannot load is skipped, as DriverManager itself does; the URL's driver is
        // reported later.
      }
    }
  }

  private URL[] urls() throws MojoExecutionException {
    List<URL> urls = new ArrayList<>();
    for (File file : classPath) {
      try {
        urls.add(file.toURI().toURL());
      } catch (MalformedURLException e) {
        throw new MojoExecutionException(
            "Bad class path element " + file + ": " + e.getMessage(), e);
      }
    }
    return urls.toArray(URL[]::new);
  }
}
