package dev.datamigrations.runtime;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.jdbi.v3.core.Jdbi;

/**
 * A PostgreSQL cluster of its own for a test that needs server settings the shared server must not
 * change (the CI server runs with {@code autovacuum = off}), or a standby that does not depend on
 * streaming from the busy shared server: made with {@code initdb} (the local server's version) into
 * a temporary directory, started with {@code pg_ctl} on a free loopback port with the given
 * settings, as the {@code postgres} OS user ({@code runuser} when the tests run as root, as {@link
 * PostgresReplica} does), stopped and deleted by {@link #close}. Without the binaries or that user,
 * the test skips, unless databases are required ({@code CI=true}), when it fails.
 */
final class PostgresScratchCluster implements AutoCloseable {
  private final Path dir;
  private final Path data;
  private final String bin;
  private final int port;
  private final boolean asRoot;

  private PostgresScratchCluster(Path dir, String bin, int port, boolean asRoot) {
    this.dir = dir;
    this.data = dir.resolve("data");
    this.bin = bin;
    this.port = port;
    this.asRoot = asRoot;
  }

  /** Makes and starts a cluster with {@code settings} ({@code name = value} lines). */
  static PostgresScratchCluster start(TestDatabase local, String... settings)
      throws IOException, InterruptedException {
    return start(local, false, settings);
  }

  /**
   * Makes and starts a cluster that stays in recovery, a standby of no primary ({@code
   * standby.signal} and no {@code primary_conninfo}): read-only, {@code pg_is_in_recovery()} true,
   * whatever load the shared server is under.
   */
  static PostgresScratchCluster startStandby(TestDatabase local)
      throws IOException, InterruptedException {
    return start(local, true, "hot_standby = on");
  }

  private static PostgresScratchCluster start(
      TestDatabase local, boolean standby, String... settings)
      throws IOException, InterruptedException {
    local.assumeReachable();
    String user = System.getProperty("user.name");
    boolean asRoot = "root".equals(user);
    if (!asRoot && !"postgres".equals(user)) {
      skip("the tests run as " + user + ", and a PostgreSQL cluster must run as postgres");
    }
    int major =
        local
                .jdbi()
                .withHandle(
                    h -> h.createQuery("SHOW server_version_num").mapTo(Integer.class).one())
            / 10_000;
    String bin = "/usr/lib/postgresql/" + major + "/bin";
    if (!Files.isExecutable(Path.of(bin, "initdb"))
        || !Files.isExecutable(Path.of(bin, "pg_ctl"))) {
      skip("initdb and pg_ctl of PostgreSQL " + major + " are not in " + bin);
    }
    int port;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = socket.getLocalPort();
    }
    Path dir = Files.createTempDirectory("datamigrations-cluster");
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
    if (asRoot) {
      run(List.of("chown", "postgres:postgres", dir.toString()));
    }
    PostgresScratchCluster cluster = new PostgresScratchCluster(dir, bin, port, asRoot);
    try {
      cluster.runAsPostgres(
          List.of(
              bin + "/initdb",
              "-D",
              cluster.data.toString(),
              "-U",
              "postgres",
              "--auth=trust",
              "-E",
              "UTF8",
              "--no-sync"));
      List<String> conf = new ArrayList<>();
      conf.add("listen_addresses = '127.0.0.1'");
      conf.add("port = " + port);
      conf.add("unix_socket_directories = '" + dir + "'");
      conf.add("shared_buffers = 16MB");
      conf.add("fsync = off");
      conf.addAll(List.of(settings));
      Files.writeString(
          cluster.data.resolve("postgresql.conf"),
          "\n" + String.join("\n", conf) + "\n",
          StandardCharsets.UTF_8,
          StandardOpenOption.APPEND);
      if (standby) {
        Files.writeString(cluster.data.resolve("standby.signal"), "", StandardCharsets.UTF_8);
      }
      cluster.runAsPostgres(
          List.of(
              bin + "/pg_ctl",
              "-D",
              cluster.data.toString(),
              "-l",
              dir.resolve("server.log").toString(),
              "-w",
              "-t",
              "60",
              "start"));
      return cluster;
    } catch (IOException | RuntimeException | InterruptedException e) {
      String log = cluster.log();
      cluster.close();
      throw new IllegalStateException(
          "Could not start a cluster on port " + port + ": " + e.getMessage() + "\n" + log, e);
    }
  }

  private static void skip(String why) {
    String message = "no PostgreSQL cluster of the test's own: " + why;
    if (TestDatabase.REQUIRED) {
      fail(message + "; databases are required here (CI=true)");
    }
    System.err.println("SKIPPED: " + message);
    assumeTrue(false, "SKIPPED: " + message);
  }

  /** Returns a Jdbi on database {@code postgres} of this cluster, as its superuser. */
  Jdbi jdbi() {
    return Jdbi.create("jdbc:postgresql://127.0.0.1:" + port + "/postgres", "postgres", "");
  }

  String log() {
    try {
      return Files.readString(dir.resolve("server.log"), StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "(no server log)";
    }
  }

  /** Stops the cluster (immediately: it holds nothing worth keeping) and deletes its directory. */
  @Override
  public void close() {
    try {
      if (Files.exists(data.resolve("postmaster.pid"))) {
        runAsPostgres(
            List.of(bin + "/pg_ctl", "-D", data.toString(), "-m", "immediate", "-w", "stop"));
      }
      try (Stream<Path> files = Files.walk(dir)) {
        for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
          Files.deleteIfExists(file);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void runAsPostgres(List<String> command) throws IOException, InterruptedException {
    List<String> full = new ArrayList<>();
    if (asRoot) {
      full.addAll(List.of("runuser", "-u", "postgres", "--"));
    }
    full.addAll(command);
    run(full);
  }

  private static void run(List<String> command) throws IOException, InterruptedException {
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (process.waitFor() != 0) {
      throw new IllegalStateException(
          String.join(" ", command) + " failed (exit " + process.exitValue() + "): " + output);
    }
  }
}
