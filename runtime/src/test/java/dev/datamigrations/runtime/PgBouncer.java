package dev.datamigrations.runtime;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;

/**
 * A PgBouncer in transaction pooling mode on a free loopback port in front of the local PostgreSQL,
 * started from Debian's {@code pgbouncer} package for the tests and stopped after. It refuses to
 * run as root, so as root it runs as the {@code postgres} user. Without pgbouncer installed the
 * tests skip with a message, unless databases are required ({@code CI=true}), when they fail.
 */
final class PgBouncer implements AutoCloseable {
  /**
   * Server connections per database and user: fewer than the runners, so that clients share
   * sessions.
   */
  static final int POOL_SIZE = 4;

  private final Process process;
  private final Path dir;
  private final int port;

  private PgBouncer(Process process, Path dir, int port) {
    this.process = process;
    this.dir = dir;
    this.port = port;
  }

  /**
   * Starts PgBouncer for {@code database} on 127.0.0.1:5432, or skips (fails in CI) if it is not
   * installed.
   */
  static PgBouncer start(String database) throws IOException, InterruptedException {
    String binary = find();
    if (binary == null) {
      String message =
          "pgbouncer is not installed (apt-get install pgbouncer): the PgBouncer tests cannot run";
      if (TestDatabase.REQUIRED) {
        fail(message + "; databases are required here (CI=true)");
      }
      System.err.println("SKIPPED: " + message);
      assumeTrue(false, "SKIPPED: " + message);
    }
    Path dir = Files.createTempDirectory("datamigrations-pgbouncer");
    int port;
    try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      port = socket.getLocalPort();
    }
    Path users = dir.resolve("users.txt");
    Files.writeString(users, "\"postgres\" \"\"\n", StandardCharsets.UTF_8);
    Path ini = dir.resolve("pgbouncer.ini");
    Files.writeString(
        ini,
        String.join(
            "\n",
            "[databases]",
            database + " = host=127.0.0.1 port=5432 dbname=" + database,
            "[pgbouncer]",
            "listen_addr = 127.0.0.1",
            "listen_port = " + port,
            "unix_socket_dir =",
            "auth_type = trust",
            "auth_file = " + users,
            "pool_mode = transaction",
            "default_pool_size = " + POOL_SIZE,
            "max_client_conn = 200",
            "ignore_startup_parameters = extra_float_digits,options",
            ""),
        StandardCharsets.UTF_8);
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
    Files.setPosixFilePermissions(ini, PosixFilePermissions.fromString("rw-r--r--"));
    Files.setPosixFilePermissions(users, PosixFilePermissions.fromString("rw-r--r--"));
    List<String> command = new ArrayList<>();
    if ("root".equals(System.getProperty("user.name"))) {
      // PgBouncer refuses to run as root.
      command.addAll(List.of("runuser", "-u", "postgres", "--"));
    }
    command.addAll(List.of(binary, ini.toString()));
    Process process =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("pgbouncer.log").toFile())
            .start();
    PgBouncer bouncer = new PgBouncer(process, dir, port);
    long deadline = System.nanoTime() + 15_000_000_000L;
    while (true) {
      try (Socket socket = new Socket()) {
        socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
        return bouncer;
      } catch (IOException notYet) {
        if (!process.isAlive() || System.nanoTime() > deadline) {
          String log = bouncer.log();
          bouncer.close();
          throw new IllegalStateException("PgBouncer did not start on port " + port + ":\n" + log);
        }
        Thread.sleep(50);
      }
    }
  }

  private static String find() {
    for (String directory :
        (System.getenv("PATH") + File.pathSeparator + "/usr/sbin:/usr/bin")
            .split(File.pathSeparator)) {
      Path candidate = Path.of(directory, "pgbouncer");
      if (Files.isExecutable(candidate)) {
        return candidate.toString();
      }
    }
    return null;
  }

  /**
   * Returns the JDBC URL through PgBouncer; {@code prepareThreshold=0}, as pgjdbc advises for
   * transaction pooling.
   */
  String url(String database) {
    return "jdbc:postgresql://127.0.0.1:" + port + "/" + database + "?prepareThreshold=0";
  }

  String log() {
    try {
      return Files.readString(dir.resolve("pgbouncer.log"), StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "(no log: " + e + ")";
    }
  }

  /** Stops PgBouncer (the process this started, and what it started) and deletes its files. */
  @Override
  public void close() {
    process.descendants().forEach(ProcessHandle::destroy);
    process.destroy();
    try {
      process.waitFor();
      for (Path file :
          List.of(
              dir.resolve("pgbouncer.ini"),
              dir.resolve("users.txt"),
              dir.resolve("pgbouncer.log"),
              dir)) {
        Files.deleteIfExists(file);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
