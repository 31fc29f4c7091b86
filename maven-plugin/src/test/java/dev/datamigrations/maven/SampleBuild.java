package dev.datamigrations.maven;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A copy of a sample project under {@code target/it}, built by a real Maven (the one running this
 * build) that resolves the plugin from {@code target/local-repo} (filled by {@code
 * invoker:install}) and everything else from the user's local repository through a {@code file:}
 * mirror: no network, and ~/.m2 is never written.
 */
final class SampleBuild {
  private static final Path SAMPLES = Paths.get("src/it");
  private static final Path WORK = Paths.get("target/it");

  /** One Maven run: exit code and the whole log. */
  record Result(int exitCode, String log, long millis) {
    boolean succeeded() {
      return exitCode == 0 && log.contains("BUILD SUCCESS");
    }

    @Override
    public String toString() {
      return "exit " + exitCode + " after " + millis + " ms\n" + log;
    }
  }

  private final Path directory;
  private Path settings = WORK.resolve("settings.xml").toAbsolutePath();

  private SampleBuild(Path directory) {
    this.directory = directory;
  }

  /**
   * Makes this sample's builds use settings with a {@code <server>} holding {@code user} and {@code
   * password}.
   */
  SampleBuild withServer(String id, String user, String password) {
    try {
      String shared = Files.readString(settings, StandardCharsets.UTF_8);
      settings = directory.resolve("settings.xml");
      Files.writeString(
          settings,
          shared.replace(
              "<settings>\n",
              "<settings>\n  <servers><server><id>"
                  + id
                  + "</id><username>"
                  + user
                  + "</username><password>"
                  + password
                  + "</password></server></servers>\n"),
          StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return this;
  }

  /** Copies sample {@code name} to a fresh directory, with the versions of this build filled in. */
  static SampleBuild copy(String name) {
    Path target =
        WORK.resolve(name + "-" + UUID.randomUUID().toString().substring(0, 8)).toAbsolutePath();
    Path source = SAMPLES.resolve(name);
    try (Stream<Path> files = Files.walk(source)) {
      for (Path file : (Iterable<Path>) files::iterator) {
        Path copy = target.resolve(source.relativize(file).toString());
        if (Files.isDirectory(file)) {
          Files.createDirectories(copy);
        } else {
          Files.writeString(
              copy, filter(Files.readString(file, StandardCharsets.UTF_8)), StandardCharsets.UTF_8);
        }
      }
      writeSettings();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new SampleBuild(target);
  }

  Path directory() {
    return directory;
  }

  /** Returns the JDBC URL of an H2 file database inside the sample, named {@code name}. */
  String h2Url(String name) {
    return "jdbc:h2:" + directory.resolve("target/db/" + name);
  }

  /**
   * Runs {@code mvn args} in the sample with {@code environment} added, and returns its outcome.
   */
  Result mvn(Map<String, String> environment, String... args) {
    List<String> command = new ArrayList<>();
    command.add(Paths.get(property("it.mavenHome"), "bin", "mvn").toString());
    command.addAll(
        List.of(
            "-B",
            "--no-transfer-progress",
            "-s",
            settings.toString(),
            "-Dmaven.repo.local=" + Paths.get(property("it.localRepository")).toAbsolutePath()));
    command.addAll(List.of(args));
    ProcessBuilder builder =
        new ProcessBuilder(command).directory(directory.toFile()).redirectErrorStream(true);
    // Only what the test gives: the runner's own connection settings must not leak into the sample
    // build.
    builder.environment().keySet().removeIf(key -> key.startsWith("DATAMIGRATIONS_"));
    builder.environment().putAll(environment);
    Path log = directory.resolve("build-" + System.nanoTime() + ".log");
    builder.redirectOutput(log.toFile());
    long start = System.nanoTime();
    try {
      Process process = builder.start();
      if (!process.waitFor(5, TimeUnit.MINUTES)) {
        process.destroyForcibly();
        throw new AssertionError("mvn " + String.join(" ", args) + " did not finish in 5 minutes");
      }
      long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
      System.out.printf("[timing] mvn %s: %d ms%n", String.join(" ", args), millis);
      return new Result(process.exitValue(), Files.readString(log, StandardCharsets.UTF_8), millis);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  Result mvn(String... args) {
    return mvn(Map.of(), args);
  }

  private static String filter(String text) {
    return text.replace("@project.version@", property("it.projectVersion"))
        .replace("@h2.version@", property("it.h2Version"))
        .replace("@postgresql.version@", property("it.postgresqlVersion"));
  }

  /**
   * A mirror of every repository onto the user's local repository, read as a remote one over {@code
   * file:}.
   */
  private static void writeSettings() throws IOException {
    Path settings = WORK.resolve("settings.xml");
    if (Files.exists(settings)) {
      return;
    }
    Files.createDirectories(WORK);
    String userRepository = Paths.get(property("it.userRepository")).toUri().toString();
    Files.writeString(
        settings,
        "<settings>\n"
            + "  <mirrors>\n"
            + "    <mirror><id>user-local-repository</id><mirrorOf>*</mirrorOf><url>"
            + userRepository
            + "</url></mirror>\n"
            + "  </mirrors>\n"
            // Files copied into a local repository carry no checksums: do not warn about each one.
            + "  <profiles><profile><id>no-checksums</id>\n"
            + "    <repositories><repository><id>central</id><url>https://repo.maven.apache.org/maven2</url>"
            + "<releases><checksumPolicy>ignore</checksumPolicy></releases></repository></repositories>\n"
            + "    <pluginRepositories><pluginRepository><id>central</id><url>https://repo.maven.apache.org/maven2</url>"
            + "<releases><checksumPolicy>ignore</checksumPolicy></releases></pluginRepository></pluginRepositories>\n"
            + "  </profile></profiles>\n"
            + "  <activeProfiles><activeProfile>no-checksums</activeProfile></activeProfiles>\n"
            + "</settings>\n",
        StandardCharsets.UTF_8);
  }

  private static String property(String name) {
    String value = System.getProperty(name);
    if (value == null) {
      throw new IllegalStateException(
          name + " is not set: run the sample builds through mvn verify (failsafe).");
    }
    return value;
  }
}
