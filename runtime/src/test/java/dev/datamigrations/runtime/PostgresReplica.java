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
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.jdbi.v3.core.Jdbi;

/**
 * A real streaming replica of the local PostgreSQL (127.0.0.1:5432) for the tests: a second cluster
 * made with {@code pg_basebackup -R} into a temporary directory, on a free loopback port, with
 * {@code recovery_min_apply_delay} set, started with {@code pg_ctl} as the {@code postgres} OS user
 * ({@code runuser -u postgres --} when the tests run as root: PostgreSQL refuses to run as root),
 * and stopped and deleted by {@link #close}. {@link #start} returns once the replica accepts
 * connections and the primary lists it as streaming in {@code pg_stat_replication}.
 *
 * <p>The primary must accept replication connections from 127.0.0.1 ({@code host replication all
 * 127.0.0.1/32} in its pg_hba.conf; {@code .ci/run} adds it). Without root (or the postgres user),
 * the server's binaries or that pg_hba.conf line, the tests skip with a message, unless databases
 * are required ({@code CI=true}), when they fail.
 *
 * <p>The replica streams through a physical replication slot of its own ({@code pg_basebackup -C
 * -S}, written by {@code -R} as {@code primary_slot_name}), so that the primary keeps the WAL the
 * replica still needs between the base backup and the start of streaming, however busy the server
 * (without one, a checkpoint in between may recycle that WAL and the replica never streams). {@link
 * #close} drops the slot; a slot left behind by a JVM that was killed (its name carries that JVM's
 * process id) holds WAL on the primary, and the next {@link #start} drops it once it is inactive
 * and its process gone.
 */
final class PostgresReplica implements AutoCloseable {
  private final Path dir;
  private final Path data;
  private final String bin;
  private final int port;
  private final String name;
  private final String slot;
  private final boolean asRoot;
  private final Jdbi primary;

  /** Names every slot of these tests: {@value}, the JVM's process id, the replica's port. */
  static final String SLOT_PREFIX = "dm_replica_slot_";

  private PostgresReplica(
      Path dir, String bin, int port, String name, boolean asRoot, Jdbi primary) {
    this.dir = dir;
    this.data = dir.resolve("data");
    this.bin = bin;
    this.port = port;
    this.name = name;
    this.slot = SLOT_PREFIX + ProcessHandle.current().pid() + "_" + port;
    this.asRoot = asRoot;
    this.primary = primary;
  }

  /**
   * Makes and starts a replica of {@code primary} that applies WAL {@code applyDelay} late, or
   * skips (fails in CI) where that is impossible.
   */
  static PostgresReplica start(TestDatabase primary, Duration applyDelay)
      throws IOException, InterruptedException {
    primary.assumeReachable();
    String user = System.getProperty("user.name");
    boolean asRoot = "root".equals(user);
    if (!asRoot && !"postgres".equals(user)) {
      skip(
          "the tests run as "
              + user
              + ", and a second PostgreSQL cluster must run as the postgres OS user (the"
              + " tests switch to it with runuser when run as root)");
    }
    Jdbi jdbi = primary.jdbi();
    int major =
        jdbi.withHandle(h -> h.createQuery("SHOW server_version_num").mapTo(Integer.class).one())
            / 10_000;
    String bin = "/usr/lib/postgresql/" + major + "/bin";
    if (!Files.isExecutable(Path.of(bin, "pg_basebackup"))
        || !Files.isExecutable(Path.of(bin, "pg_ctl"))) {
      skip("pg_basebackup and pg_ctl of PostgreSQL " + major + " are not in " + bin);
    }
    int port;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = socket.getLocalPort();
    }
    Path dir = Files.createTempDirectory("datamigrations-replica");
    // The postgres user must reach the data directory; pg_basebackup creates it (mode 0700) as that
    // user.
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
    if (asRoot) {
      run(List.of("chown", "postgres:postgres", dir.toString()));
    }
    String name = "dm_replica_" + port;
    dropStaleSlots(jdbi);
    PostgresReplica replica = new PostgresReplica(dir, bin, port, name, asRoot, jdbi);
    try {
      replica.backup(applyDelay, hotStandbyMinimums(jdbi));
      replica.runAsPostgres(
          List.of(
              bin + "/pg_ctl",
              "-D",
              replica.data.toString(),
              "-l",
              dir.resolve("server.log").toString(),
              "-w",
              "-t",
              "60",
              "start"));
      replica.awaitStreaming(jdbi);
      return replica;
    } catch (IOException | RuntimeException | InterruptedException e) {
      String log = replica.log();
      replica.close();
      if (e instanceof IllegalStateException
          && e.getMessage().contains("no pg_hba.conf entry for replication")) {
        skip(
            "the primary refuses replication connections from 127.0.0.1: add 'host replication all 127.0.0.1/32"
                + " trust' to its pg_hba.conf and reload (.ci/run does)");
      }
      throw new IllegalStateException(
          "Could not start a replica on port " + port + ": " + e.getMessage() + "\n" + log, e);
    }
  }

  private static void skip(String why) {
    String message = "no streaming replica for the replica-lag tests: " + why;
    if (TestDatabase.REQUIRED) {
      fail(message + "; databases are required here (CI=true)");
    }
    System.err.println("SKIPPED: " + message);
    assumeTrue(false, "SKIPPED: " + message);
  }

  /**
   * pg_basebackup -R, then this cluster's own settings: port, socket, delay, and a name the primary
   * lists it by.
   */
  private void backup(Duration applyDelay, List<String> minimums)
      throws IOException, InterruptedException {
    runAsPostgres(
        List.of(
            bin + "/pg_basebackup",
            "-h",
            "127.0.0.1",
            "-p",
            "5432",
            "-U",
            "postgres",
            "-D",
            data.toString(),
            "-R",
            "-C",
            "-S",
            slot,
            "-X",
            "stream",
            "-c",
            "fast",
            "--no-password"));
    // Debian keeps postgresql.conf and pg_hba.conf in /etc, so the copy has none: write both.
    writeAsPostgres(
        data.resolve("postgresql.conf"),
        String.join(
            "\n",
            "listen_addresses = '127.0.0.1'",
            "port = " + port,
            "unix_socket_directories = '" + dir + "'",
            "shared_buffers = 16MB",
            String.join("\n", minimums),
            "hot_standby = on",
            "wal_receiver_status_interval = 1s",
            ""),
        false);
    writeAsPostgres(
        data.resolve("pg_hba.conf"),
        "local all all trust\nhost all all 127.0.0.1/32 trust\n",
        false);
    writeAsPostgres(data.resolve("pg_ident.conf"), "", false);
    // postgresql.auto.conf is read last and its last line wins: it overrides what -R wrote there.
    writeAsPostgres(
        data.resolve("postgresql.auto.conf"),
        String.join(
            "\n",
            "primary_conninfo = 'host=127.0.0.1 port=5432 user=postgres application_name="
                + name
                + "'",
            "recovery_min_apply_delay = '" + applyDelay.toMillis() + "ms'",
            ""),
        true);
  }

  /**
   * Drops the slots of these tests that a killed JVM left behind: inactive, and named after a
   * process that no longer runs. A slot another JVM's replica is about to use (inactive between its
   * base backup and its start) is left alone, since that JVM runs.
   */
  private static void dropStaleSlots(Jdbi primary) {
    List<String> slots =
        primary.withHandle(
            h ->
                h.createQuery(
                        "SELECT slot_name FROM pg_replication_slots WHERE slot_type = 'physical'"
                            + " AND NOT active AND starts_with(slot_name, :prefix)")
                    .bind("prefix", SLOT_PREFIX)
                    .mapTo(String.class)
                    .list());
    for (String stale : slots) {
      String pid = stale.substring(SLOT_PREFIX.length()).replaceFirst("_.*", "");
      boolean running =
          pid.chars().allMatch(Character::isDigit)
              && !pid.isEmpty()
              && ProcessHandle.of(Long.parseLong(pid)).isPresent();
      if (!running) {
        dropSlot(primary, stale);
      }
    }
  }

  /**
   * Drops {@code slot} if it exists, first ending the walsender that still holds it (a replica
   * stopped with {@code -m immediate} leaves it to notice the lost connection).
   */
  private static void dropSlot(Jdbi primary, String slot) {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (true) {
      Boolean active =
          primary.withHandle(
              h ->
                  h.createQuery("SELECT active FROM pg_replication_slots WHERE slot_name = :slot")
                      .bind("slot", slot)
                      .mapTo(Boolean.class)
                      .findOne()
                      .orElse(null));
      if (active == null) {
        return;
      }
      if (!active) {
        try {
          primary.useHandle(
              h ->
                  h.createQuery("SELECT pg_drop_replication_slot(:slot)")
                      .bind("slot", slot)
                      .mapTo(String.class)
                      .findOne());
          return;
        } catch (RuntimeException e) {
          // Taken again, or dropped, between the read and the drop: look again.
        }
      } else {
        primary.useHandle(
            h ->
                h.createQuery(
                        "SELECT pg_terminate_backend(active_pid) FROM pg_replication_slots"
                            + " WHERE slot_name = :slot AND active")
                    .bind("slot", slot)
                    .mapTo(Boolean.class)
                    .findOne());
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("could not drop the replication slot " + slot);
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  /** Returns the primary's replication slot this replica streams through. */
  String slot() {
    return slot;
  }

  /** A hot standby refuses to start with any of these below the primary's: copy them. */
  private static List<String> hotStandbyMinimums(Jdbi primary) {
    return primary.withHandle(
        h ->
            h.createQuery(
                    "SELECT name || ' = ' || setting FROM pg_settings WHERE name IN ('max_connections',"
                        + " 'max_worker_processes', 'max_wal_senders', 'max_prepared_transactions',"
                        + " 'max_locks_per_transaction')")
                .mapTo(String.class)
                .list());
  }

  private void writeAsPostgres(Path file, String text, boolean append)
      throws IOException, InterruptedException {
    if (append) {
      Files.writeString(file, text, StandardCharsets.UTF_8, StandardOpenOption.APPEND);
    } else {
      Files.writeString(file, text, StandardCharsets.UTF_8);
    }
    if (asRoot) {
      run(List.of("chown", "postgres:postgres", file.toString()));
    }
  }

  private void awaitStreaming(Jdbi primary) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (streaming(primary) == 0) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(
            "the replica started, but the primary does not list "
                + name
                + " as streaming in pg_stat_replication");
      }
      Thread.sleep(100);
    }
  }

  private int streaming(Jdbi primary) {
    return primary.withHandle(
        h ->
            h.createQuery(
                    "SELECT COUNT(*) FROM pg_stat_replication WHERE application_name = :name AND state = 'streaming'")
                .bind("name", name)
                .mapTo(Integer.class)
                .one());
  }

  /**
   * Returns the name the primary lists this replica by ({@code
   * pg_stat_replication.application_name}).
   */
  String name() {
    return name;
  }

  /** Returns a Jdbi on the replica itself (read-only: it is a hot standby). */
  Jdbi jdbi(String database) {
    return Jdbi.create("jdbc:postgresql://127.0.0.1:" + port + "/" + database, "postgres", "");
  }

  /**
   * Changes the replica's apply delay while it runs ({@code ALTER SYSTEM} on the standby, then a
   * reload).
   */
  void applyDelay(Duration delay) {
    jdbi("postgres")
        .useHandle(
            h -> {
              h.execute("ALTER SYSTEM SET recovery_min_apply_delay = '" + delay.toMillis() + "ms'");
              h.createQuery("SELECT pg_reload_conf()").mapTo(Boolean.class).one();
            });
  }

  String log() {
    try {
      return Files.readString(dir.resolve("server.log"), StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "(no server log)";
    }
  }

  /**
   * Stops the replica (immediately: it holds nothing worth a clean shutdown), drops its slot on the
   * primary and deletes its directory.
   */
  @Override
  public void close() {
    try {
      if (Files.exists(data.resolve("postmaster.pid"))) {
        runAsPostgres(
            List.of(bin + "/pg_ctl", "-D", data.toString(), "-m", "immediate", "-w", "stop"));
      }
      dropSlot(primary, slot);
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
