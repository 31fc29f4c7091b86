package dev.datamigrations.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.datamigrations.runtime.Migration;
import dev.datamigrations.runtime.MigrationCatalog;
import dev.datamigrations.runtime.MigrationDescriptor;
import java.util.List;
import java.util.UUID;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * validate, accept-checksum (repair), baseline, mark-applied, skip and unmark through the command
 * line: their output, exit codes, and the history rows they leave.
 */
class HistoryCommandsTest {
  static final long FIRST = 20240101000000L;
  static final long SECOND = 20240102000000L;
  static final String A = "a".repeat(64);
  static final String B = "b".repeat(64);

  private final String url = "jdbc:h2:mem:cli_history_" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";
  private final Jdbi jdbi = Jdbi.create(url);

  @BeforeEach
  void createSchema() {
    jdbi.useHandle(h -> h.execute("CREATE TABLE marker (version BIGINT NOT NULL)"));
  }

  /**
   * Two migrations that record their runs in {@code marker}; the first with checksum {@code first}.
   */
  static MigrationCatalog catalog(String first) {
    return new MigrationCatalog() {
      @Override
      public List<MigrationDescriptor> descriptors() {
        return List.of(
            MigrationDescriptor.migration(
                    FIRST,
                    "First",
                    "test.First",
                    MigrationDescriptor.Transaction.TRANSACTIONAL,
                    MigrationDescriptor.Reversibility.REVERSIBLE)
                .withChecksum(first),
            MigrationDescriptor.migration(
                    SECOND,
                    "Second",
                    "test.Second",
                    MigrationDescriptor.Transaction.TRANSACTIONAL,
                    MigrationDescriptor.Reversibility.REVERSIBLE)
                .withChecksum(A));
      }

      @Override
      public Migration instantiate(int index) {
        long version = descriptors().get(index).version();
        return h -> h.execute("INSERT INTO marker (version) VALUES (?)", version);
      }
    };
  }

  private CliRun run(MigrationCatalog catalog, String... args) {
    String[] all = new String[args.length + 2];
    all[0] = "--url";
    all[1] = url;
    System.arraycopy(args, 0, all, 2, args.length);
    return CliRun.of(DataMigrationsCli.forCatalog(catalog), all);
  }

  private List<Long> ran() {
    return jdbi.withHandle(
        h -> h.createQuery("SELECT version FROM marker ORDER BY version").mapTo(Long.class).list());
  }

  private String appliedAs(long version) {
    return jdbi.withHandle(
        h ->
            h.createQuery("SELECT applied_as FROM data_migrations WHERE version = " + version)
                .mapTo(String.class)
                .findOne()
                .orElse(null));
  }

  @Test
  void validateExitsSevenNamingAChangedMigrationAndAcceptChecksumAcceptsIt() throws Exception {
    assertEquals(0, run(catalog(A), "migrate").exitCode());
    CliRun clean = run(catalog(A), "validate");
    assertEquals(0, clean.exitCode(), clean.toString());

    CliRun status = run(catalog(B), "status");
    assertTrue(status.out().contains(FIRST + "  CHANGED"), status.toString());
    assertTrue(status.out().contains("1 changed since they ran"), status.toString());
    JsonNode json =
        new ObjectMapper().readTree(run(catalog(B), "status", "--format", "json").out());
    JsonNode first = json.get("migrations").get(0);
    assertEquals("CHANGED", first.get("state").asText());
    assertEquals("RUN", first.get("appliedAs").asText());
    assertEquals(B, first.get("checksum").asText());
    assertEquals(A, first.get("appliedChecksum").asText());
    assertEquals(1, json.get("summary").get("changed").asInt());

    CliRun changed = run(catalog(B), "validate");
    assertEquals(ExitCodes.CHANGED, changed.exitCode(), changed.toString());
    assertTrue(changed.err().contains(FIRST + " (First, test.First)"), changed.toString());
    assertTrue(changed.err().contains("accept-checksum VERSION --reason TEXT"), changed.toString());

    CliRun noReason = run(catalog(B), "accept-checksum", Long.toString(FIRST));
    assertEquals(ExitCodes.USAGE, noReason.exitCode(), noReason.toString());
    assertTrue(noReason.err().contains("Nothing was changed."), noReason.toString());
    CliRun accepted =
        run(catalog(B), "repair", Long.toString(FIRST), "--reason", "JIRA-7 reworded the SQL");
    assertEquals(0, accepted.exitCode(), accepted.toString());
    assertEquals(0, run(catalog(B), "validate").exitCode());
    String audit =
        jdbi.withHandle(
            h ->
                h.createQuery("SELECT audit FROM data_migrations WHERE version = " + FIRST)
                    .mapTo(String.class)
                    .one());
    assertTrue(audit.contains("in place of " + A) && audit.contains("JIRA-7"), audit);
    assertEquals(List.of(FIRST, SECOND), ran());
  }

  @Test
  void baselineMarkSkipAndUnmarkWriteRowsWithoutRunningAndRefuseWhatWouldLie() {
    CliRun baseline = run(catalog(A), "baseline", Long.toString(FIRST), "--reason", "adopted");
    assertEquals(0, baseline.exitCode(), baseline.toString());
    assertTrue(baseline.out().contains("Baselined 1 data migration"), baseline.toString());
    assertEquals("BASELINE", appliedAs(FIRST));
    CliRun again = run(catalog(A), "baseline", Long.toString(SECOND));
    assertEquals(ExitCodes.USAGE, again.exitCode(), again.toString());

    assertEquals(
        ExitCodes.USAGE, run(catalog(A), "mark-applied", Long.toString(SECOND)).exitCode());
    assertEquals(
        0,
        run(catalog(A), "mark-applied", Long.toString(SECOND), "--reason", "by hand").exitCode());
    assertTrue(run(catalog(A), "status").out().contains(SECOND + "  MARKED"));
    assertEquals(0, run(catalog(A), "unmark", Long.toString(SECOND)).exitCode());
    assertEquals(
        0, run(catalog(A), "skip", Long.toString(SECOND), "--reason", "not needed").exitCode());
    CliRun status = run(catalog(A), "status");
    assertTrue(status.out().contains(FIRST + "  BASELINED"), status.toString());
    assertTrue(status.out().contains(SECOND + "  SKIPPED"), status.toString());

    CliRun unknown = run(catalog(A), "mark-applied", "99", "--reason", "old tool");
    assertEquals(ExitCodes.USAGE, unknown.exitCode(), unknown.toString());
    assertEquals(
        0, run(catalog(A), "mark-applied", "99", "--reason", "old tool", "--force").exitCode());
    assertEquals("MARKED", appliedAs(99));

    assertEquals(0, run(catalog(A), "migrate").exitCode());
    assertEquals(List.of(), ran()); // nothing ran: baselined, skipped
    CliRun down = run(catalog(A), "down", Long.toString(SECOND));
    assertEquals(ExitCodes.USAGE, down.exitCode(), down.toString());
    assertEquals(0, run(catalog(A), "unmark", Long.toString(FIRST)).exitCode());
    assertEquals(0, run(catalog(A), "migrate").exitCode());
    assertEquals(List.of(FIRST), ran());
    CliRun unmarkRun = run(catalog(A), "unmark", Long.toString(FIRST));
    assertEquals(ExitCodes.USAGE, unmarkRun.exitCode(), unmarkRun.toString());
    assertTrue(unmarkRun.err().contains("down " + FIRST), unmarkRun.toString());
  }
}
