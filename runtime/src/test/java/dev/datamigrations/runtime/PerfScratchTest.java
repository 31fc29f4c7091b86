package dev.datamigrations.runtime;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;

class PerfScratchTest {
  @Test
  void compare() throws Exception {
    String url = "jdbc:postgresql://127.0.0.1:5432/test";
    int n = 1000;
    for (int round = 0; round < 3; round++) {
      try (Connection c = DriverManager.getConnection(url, "postgres", "")) {
        c.createStatement().execute("DROP TABLE IF EXISTS perf_a; CREATE TABLE perf_a (id INT); DROP TABLE IF EXISTS perf_h; CREATE TABLE perf_h (version BIGINT PRIMARY KEY, d VARCHAR(100), c VARCHAR(100), t TIMESTAMP, ms BIGINT, b VARCHAR(100), r VARCHAR(100))");
        long t0 = System.nanoTime();
        c.setAutoCommit(false);
        for (int i = 0; i < n; i++) {
          try (PreparedStatement p = c.prepareStatement("INSERT INTO perf_a (id) VALUES (?)")) { p.setInt(1, i); p.executeUpdate(); }
          try (PreparedStatement p = c.prepareStatement("INSERT INTO perf_h VALUES (?, ?, ?, ?, ?, ?, ?)")) {
            p.setLong(1, i); p.setString(2, "d"); p.setString(3, "c"); p.setObject(4, java.time.LocalDateTime.now()); p.setLong(5, 1); p.setString(6, "b"); p.setString(7, null); p.executeUpdate(); }
          c.commit();
        }
        long raw = System.nanoTime() - t0;
        c.createStatement().execute("DROP TABLE IF EXISTS perf_a; CREATE TABLE perf_a (id INT); DROP TABLE IF EXISTS perf_dm");
        TestCatalog.Builder b = TestCatalog.builder();
        for (int i = 0; i < n; i++) { int id = i; b.add(i + 1, h -> h.execute("INSERT INTO perf_a (id) VALUES (?)", id)); }
        t0 = System.nanoTime();
        MigrationRunner.configure(Jdbi.create(url, "postgres", ""), b.build()).table("perf_dm").build().migrate();
        long dm = System.nanoTime() - t0;
        System.out.printf("PERF raw %d ms, runner %d ms, ratio %.2f%n", raw / 1000000, dm / 1000000, (double) dm / raw);
        c.createStatement().execute("DROP TABLE perf_a; DROP TABLE perf_h; DROP TABLE perf_dm");
      }
    }
  }
}
