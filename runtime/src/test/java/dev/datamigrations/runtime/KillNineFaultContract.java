package dev.datamigrations.runtime;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import org.junit.jupiter.api.AfterEach;

/**
 * Kills the runner's JVM with SIGKILL ({@link Process#destroyForcibly()}) between two of its steps,
 * or after a random time, for every verb; see {@link FaultHarness}. The verbs' loops run two at a
 * time, each on tables (and, for embedded databases, a database file) of its own. The next
 * iteration's child JVM starts while the current one runs, so that its start-up overlaps; children
 * run with a class-data-sharing archive that the first child of the database writes when it exits,
 * and with flags that start a JVM fast.
 */
abstract class KillNineFaultContract extends FaultHarness {
  /** The archive per database, or an absent entry if none could be made. */
  private static final Map<String, Path> ARCHIVES = new ConcurrentHashMap<>();

  /**
   * How long a child JVM may take to start, or to reach its kill point: longer than the in-process
   * deadline, since a cold JVM on a loaded two-core machine is slow, and neither is the recovery
   * run the deadline bounds.
   */
  private static final long CHILD_MILLIS = Math.max(60_000, DEADLINE.toMillis());

  private Child spare;

  @Override
  String kind() {
    return "kill -9";
  }

  @AfterEach
  void stopSpare() throws InterruptedException {
    if (spare != null) {
      spare.kill();
      spare = null;
    }
  }

  @Override
  Kill inflict(
      FaultVerb verb,
      long target,
      FaultCatalog.Tables tables,
      long killAt,
      long delayMillis,
      boolean viaJdbi)
      throws Exception {
    Child child = spare == null ? new Child(archive()) : spare;
    spare = null;
    try {
      String ready = child.await(line -> line.equals(FaultChildMain.READY));
      if (ready == null) {
        return new Kill("before it started", "the child JVM did not start: " + child.output());
      }
      spare = new Child(archive());
      child.send(verb + " " + target + " " + tables.prefix() + " " + killAt + " " + viaJdbi);
      if (killAt < 0) {
        if (child.await(line -> line.equals(FaultChildMain.GO)) == null) {
          return new Kill(
              "before it started", "the child JVM did not start its run: " + child.output());
        }
        Thread.sleep(delayMillis); // the fault's timing, not a wait for a condition
        boolean finished = !child.process.isAlive();
        child.kill();
        return new Kill(
            finished
                ? "after it finished (" + delayMillis + " ms)"
                : "after " + delayMillis + " ms",
            null);
      }
      String line =
          child.await(
              l ->
                  l.startsWith(FaultChildMain.KILL_POINT)
                      || l.startsWith(FaultChildMain.FINISHED)
                      || l.startsWith(FaultChildMain.FAILED));
      child.kill();
      if (line == null) {
        return new Kill(
            "at step " + killAt,
            "the killed run neither reached step "
                + killAt
                + " nor ended within "
                + CHILD_MILLIS
                + " ms: "
                + child.output());
      } else if (line.startsWith(FaultChildMain.FAILED)) {
        return new Kill(
            "at step " + killAt,
            "the run failed before its kill point, without a fault: " + child.output());
      } else if (line.startsWith(FaultChildMain.FINISHED)) {
        return new Kill("never: it finished first (" + line + ")", null);
      }
      return new Kill("before step " + line.substring(FaultChildMain.KILL_POINT.length()), null);
    } finally {
      child.kill();
    }
  }

  /**
   * Returns the class-data-sharing archive of this database, writing it with a first, complete
   * child run.
   */
  private Path archive() throws Exception {
    synchronized (ARCHIVES) {
      return archiveLocked();
    }
  }

  private Path archiveLocked() throws Exception {
    if (ARCHIVES.containsKey(db.name())) {
      return ARCHIVES.get(db.name());
    }
    Path file = Files.createTempFile("datamigrations-faults-" + db.name(), ".jsa");
    Files.delete(file);
    long start = System.nanoTime();
    Child trainer = new Child(null, "-XX:ArchiveClassesAtExit=" + file);
    FaultCatalog.Tables tables = freshTables();
    try {
      if (trainer.await(line -> line.equals(FaultChildMain.READY)) != null) {
        trainer.send(FaultVerb.MIGRATE + " 0 " + tables.prefix() + " -1 true");
        trainer.process.waitFor(CHILD_MILLIS, TimeUnit.MILLISECONDS);
      }
    } finally {
      trainer.kill();
      drop(tables);
    }
    Path archive = Files.isRegularFile(file) && Files.size(file) > 0 ? file : null;
    System.out.printf(
        "[faults] %s: class-data-sharing archive %s in %d ms%n",
        db,
        archive == null ? "not written (children start without one)" : archive,
        (System.nanoTime() - start) / 1_000_000);
    ARCHIVES.put(db.name(), archive == null ? Path.of("") : archive);
    return ARCHIVES.get(db.name());
  }

  private static String classPath;

  /**
   * Returns the test class path with its directories packed into one jar: class-data sharing
   * archives classes from jars only, and refuses a class path with non-empty directories.
   */
  private static synchronized String childClassPath() throws IOException {
    if (classPath == null) {
      Path jar = Files.createTempFile("datamigrations-faults-classes", ".jar");
      List<String> entries = new ArrayList<>(List.of(jar.toString()));
      try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
        java.util.Set<String> written = new java.util.HashSet<>();
        for (String entry :
            System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
          Path path = Path.of(entry);
          if (!Files.isDirectory(path)) {
            entries.add(entry);
            continue;
          }
          try (var files = Files.walk(path)) {
            for (Path file : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
              String name =
                  path.relativize(file).toString().replace(java.io.File.separatorChar, '/');
              if (written.add(name)) {
                out.putNextEntry(new JarEntry(name));
                Files.copy(file, out);
                out.closeEntry();
              }
            }
          }
        }
      }
      jar.toFile().deleteOnExit();
      classPath = String.join(java.io.File.pathSeparator, entries);
    }
    return classPath;
  }

  /** A child JVM running {@link FaultChildMain}, its output read by a thread of its own. */
  private final class Child {
    final Process process;
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private final Deque<String> tail = new ArrayDeque<>();
    private final Writer in;
    private final Thread reader;

    Child(Path archive, String... flags) throws IOException {
      List<String> command = new ArrayList<>();
      command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
      command.addAll(
          List.of(
              "-XX:TieredStopAtLevel=1",
              "-XX:+UseSerialGC",
              "-Xss512k",
              "-XX:-UsePerfData",
              "-Xmx128m",
              "-Xshare:auto",
              "-Dorg.slf4j.simpleLogger.log.dev.datamigrations=warn"));
      if (archive != null && !archive.toString().isEmpty()) {
        command.add("-XX:SharedArchiveFile=" + archive);
      }
      command.addAll(List.of(flags));
      command.addAll(
          List.of(
              "-cp",
              childClassPath(),
              FaultChildMain.class.getName(),
              db.name(),
              db.url(),
              db.user() == null ? "" : db.user(),
              db.password() == null ? "" : db.password(),
              Long.toString(LOCK_TIMEOUT.toMillis())));
      process = new ProcessBuilder(command).redirectErrorStream(true).start();
      in = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
      reader =
          new Thread(
              () -> {
                try (BufferedReader out =
                    new BufferedReader(
                        new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                  for (String line = out.readLine(); line != null; line = out.readLine()) {
                    synchronized (tail) {
                      tail.addLast(line);
                      if (tail.size() > 40) {
                        tail.removeFirst();
                      }
                    }
                    lines.add(line);
                  }
                } catch (IOException e) {
                  // The child was killed.
                }
              },
              "fault-child-output");
      reader.setDaemon(true);
      reader.start();
    }

    void send(String command) throws IOException {
      in.write(command + "\n");
      in.flush();
    }

    /** Returns the first line that matches, or null if none came within {@link #CHILD_MILLIS}. */
    String await(java.util.function.Predicate<String> wanted) throws InterruptedException {
      long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(CHILD_MILLIS);
      while (System.nanoTime() < deadline) {
        String line = lines.poll(100, TimeUnit.MILLISECONDS);
        if (line != null && wanted.test(line)) {
          return line;
        }
        if (line == null && !process.isAlive() && lines.isEmpty()) {
          // The child is dead: its output ends, and the reader has handed over every line once
          // it ended.
          reader.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
          if (lines.isEmpty()) {
            return null;
          }
        }
      }
      return null;
    }

    String output() {
      synchronized (tail) {
        return "exit "
            + (process.isAlive() ? "(running)" : process.exitValue())
            + ", output:\n    "
            + String.join("\n    ", tail);
      }
    }

    void kill() throws InterruptedException {
      process.destroyForcibly();
      process.waitFor();
    }
  }
}
