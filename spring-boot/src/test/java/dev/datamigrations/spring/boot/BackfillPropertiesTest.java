package dev.datamigrations.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.datamigrations.runtime.MigrationCatalog;
import dev.datamigrations.runtime.MigrationDescriptor;
import dev.datamigrations.runtime.MigrationListener;
import dev.datamigrations.runtime.backfill.BackfillListener;
import dev.datamigrations.runtime.backfill.BackfillSettings;
import dev.datamigrations.runtime.backfill.PostgresHealthCheck;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The backfill properties change what the runner does, not only what binds: {@code
 * target-batch-duration} moves the batch size, {@code workers} processes batches on several threads
 * (PostgreSQL), and {@code health-check=postgres} backs off while another session holds a
 * transaction open too long; the live-traffic settings ({@code backfill.busy-pause}, {@code
 * backfill.durable-batch-commits}) and the optional PostgreSQL signals ({@code
 * postgres-health.autovacuum-on-table}, {@code postgres-health.max-wal-rate}) reach the backfill
 * settings.
 */
class BackfillPropertiesTest {
  private static final ApplicationContextRunner CONTEXTS =
      new ApplicationContextRunner()
          .withConfiguration(AutoConfigurations.of(DataMigrationsAutoConfiguration.class));

  private static ApplicationContextRunner contexts(
      DataSource dataSource, MigrationCatalog catalog) {
    return CONTEXTS
        .withBean(DataSource.class, () -> dataSource)
        .withBean(MigrationCatalog.class, () -> catalog);
  }

  private static DataSource h2WithCustomers(int rows) {
    DataSource dataSource = H2.withCustomers();
    new JdbcTemplate(dataSource)
        .update("INSERT INTO customers (name) SELECT 'c' || X FROM SYSTEM_RANGE(1, " + rows + ")");
    return dataSource;
  }

  private static int capitalized(DataSource dataSource) {
    return new JdbcTemplate(dataSource)
        .queryForObject("SELECT COUNT(*) FROM customers WHERE name = UPPER(name)", Integer.class);
  }

  /** Returns the backfill settings a context with {@code properties} gives its runner. */
  private static BackfillSettings settingsOf(String... properties) {
    List<BackfillSettings> seen = new CopyOnWriteArrayList<>();
    contexts(H2.withCustomers(), new OneMigrationCatalog())
        .withBean(DataMigrationsBackfillCustomizer.class, () -> b -> seen.add(b.build()))
        .withPropertyValues(properties)
        .run(context -> assertThat(context).hasNotFailed());
    assertThat(seen).hasSize(1);
    return seen.get(0);
  }

  @Test
  void busyPauseDurableCommitsAndPostgresSignalsReachTheBackfillSettings() {
    BackfillSettings defaults = settingsOf();
    assertThat(defaults.busyPause()).isEqualTo(2.0);
    assertThat(defaults.durableBatchCommits()).isFalse();
    assertThat(defaults.healthCheck()).isNotInstanceOf(PostgresHealthCheck.class);

    BackfillSettings set =
        settingsOf(
            "datamigrations.backfill.busy-pause=2.5",
            "datamigrations.backfill.durable-batch-commits=true",
            "datamigrations.health-check=postgres",
            "datamigrations.postgres-health.max-transaction-age=2m",
            "datamigrations.postgres-health.autovacuum-on-table=true",
            "datamigrations.postgres-health.max-wal-rate=64MB");
    assertThat(set.busyPause()).isEqualTo(2.5);
    assertThat(set.durableBatchCommits()).isTrue();
    PostgresHealthCheck check = (PostgresHealthCheck) set.healthCheck();
    assertThat(check.maxTransactionAge()).contains(Duration.ofMinutes(2));
    assertThat(check.maxReplicationLag()).contains(Duration.ofSeconds(30));
    assertThat(check.watchesAutovacuumOnTable()).isTrue();
    assertThat(check.maxWalRate()).hasValue(64L * 1024 * 1024);

    // health-check=postgres alone: the two signals of before, neither autovacuum nor WAL rate.
    PostgresHealthCheck plain =
        (PostgresHealthCheck)
            settingsOf(
                    "datamigrations.health-check=postgres", "datamigrations.backfill.busy-pause=0")
                .healthCheck();
    assertThat(plain.watchesAutovacuumOnTable()).isFalse();
    assertThat(plain.maxWalRate()).isEmpty();
    assertThat(settingsOf("datamigrations.backfill.busy-pause=0").busyPause()).isZero();
  }

  @Test
  void targetBatchDurationShrinksBatchesThatTakeLonger() {
    // Every batch takes at least 10 ms against a 1 ms target: the size falls 20 % per batch (the
    // first four
    // batches are allocated ahead at the starting size).
    RecordingBackfillCatalog tuned = new RecordingBackfillCatalog(Duration.ofMillis(10));
    DataSource dataSource = h2WithCustomers(6000);
    contexts(dataSource, tuned)
        .withPropertyValues(
            "datamigrations.batch-size=1000", "datamigrations.target-batch-duration=1ms")
        .run(context -> assertThat(context).hasNotFailed());
    assertThat(capitalized(dataSource)).isEqualTo(6000);
    assertThat(tuned.batchSizes.get(0)).isEqualTo(1000);
    assertThat(tuned.batchSizes.subList(4, tuned.batchSizes.size()))
        .isNotEmpty()
        .allMatch(size -> size < 1000);

    // The same backfill without the property keeps its size.
    RecordingBackfillCatalog fixed = new RecordingBackfillCatalog(Duration.ofMillis(10));
    DataSource untuned = h2WithCustomers(6000);
    contexts(untuned, fixed)
        .withPropertyValues("datamigrations.batch-size=1000")
        .run(context -> assertThat(context).hasNotFailed());
    assertThat(fixed.batchSizes).containsOnly(1000L).hasSize(6);
  }

  @Test
  void workersProcessBatchesOnSeveralThreadsOnPostgres() {
    try (TestPostgres postgres = new TestPostgres()) {
      RecordingBackfillCatalog catalog = new RecordingBackfillCatalog(Duration.ofMillis(20));
      DataSource dataSource = postgres.withCustomers(300);
      contexts(dataSource, catalog)
          .withPropertyValues("datamigrations.batch-size=10", "datamigrations.workers=3")
          .run(context -> assertThat(context).hasNotFailed());
      assertThat(capitalized(dataSource)).isEqualTo(300);
      assertThat(catalog.batchSizes.stream().mapToLong(Long::longValue).sum()).isEqualTo(300);
      assertThat(catalog.threads).hasSizeGreaterThan(1);
    }
    try (TestPostgres postgres = new TestPostgres()) {
      RecordingBackfillCatalog one = new RecordingBackfillCatalog(Duration.ofMillis(20));
      DataSource dataSource = postgres.withCustomers(100);
      contexts(dataSource, one)
          .withPropertyValues("datamigrations.batch-size=10")
          .run(context -> assertThat(context).hasNotFailed());
      assertThat(one.threads).hasSize(1);
    }
  }

  @Test
  void postgresHealthCheckBacksOffWhileAnotherSessionHoldsATransactionOpen() throws Exception {
    try (TestPostgres postgres = new TestPostgres()) {
      DataSource dataSource = postgres.withCustomers(50);
      List<String> throttled = new CopyOnWriteArrayList<>();
      interface HearsBackfills extends MigrationListener, BackfillListener {}
      MigrationListener listener =
          new HearsBackfills() {
            @Override
            public void backfillThrottled(
                MigrationDescriptor backfill, String reason, Duration wait) {
              throttled.add(reason);
            }
          };
      try (Connection other = DriverManager.getConnection(postgres.url(), "postgres", "");
          Statement statement = other.createStatement()) {
        other.setAutoCommit(false);
        int pid;
        try (var rs =
            statement.executeQuery("SELECT pg_backend_pid()")) { // opens the transaction to see
          rs.next();
          pid = rs.getInt(1);
        }
        awaitTrue(
            () ->
                new JdbcTemplate(dataSource)
                        .queryForObject(
                            "SELECT COUNT(*) FROM pg_stat_activity WHERE pid = ? AND state = 'idle in transaction'"
                                + " AND clock_timestamp() - xact_start > interval '300 milliseconds'",
                            Integer.class,
                            pid)
                    > 0);
        contexts(dataSource, new RecordingBackfillCatalog(Duration.ZERO))
            .withBean(MigrationListener.class, () -> listener)
            .withPropertyValues(
                "datamigrations.health-check=postgres",
                "datamigrations.postgres-health.max-transaction-age=200ms",
                "datamigrations.detach-backfills=true",
                "datamigrations.batch-size=5")
            .run(
                context -> {
                  assertThat(context).hasNotFailed();
                  awaitTrue(() -> !throttled.isEmpty());
                  assertThat(throttled.get(0))
                      .contains("a transaction has been open")
                      .contains("limit 200 ms");
                  assertThat(capitalized(dataSource)).isZero();
                });
        other.rollback();
      }
    }
  }

  /** Polls {@code condition} every 20 ms until it holds; fails after 20 s. */
  static void awaitTrue(BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime()).as("condition still false after 20 s").isLessThan(deadline);
      Thread.sleep(20);
    }
  }
}
