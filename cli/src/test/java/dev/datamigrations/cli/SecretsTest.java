package dev.datamigrations.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.datamigrations.runtime.Migration;
import dev.datamigrations.runtime.MigrationCatalog;
import dev.datamigrations.runtime.MigrationDescriptor;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * No password ever reaches the output: URLs with credentials in every form, through every error
 * path of the command line, with and without {@code --verbose}, capturing the command's streams and
 * {@code System.out/err} (where slf4j-simple writes the runtime's log lines). The rest of the URL
 * stays, so the message still helps.
 */
class SecretsTest {
  private static final List<String> SECRETS =
      List.of(
          "hunter2-userinfo",
          "hunter2-query",
          "hunter2-token",
          "hunter2-apikey",
          "hunter2-addr",
          "hunter2-maria",
          "hunter2-pg",
          "hunter2-sslpw",
          "hunter2-mysql",
          "hunter2-oracle",
          "hunter2-flag",
          "hunter2-env",
          "hunter2-h2",
          "hunter2-usage");

  /** Everything one execution printed: its own streams and the JVM's (log lines). */
  private record Output(int exitCode, String text) {}

  private static Output execute(UnaryOperator<DataMigrationsCli.Builder> setUp, String... args) {
    PrintStream systemOut = System.out;
    PrintStream systemErr = System.err;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    PrintStream capture = new PrintStream(captured, true, StandardCharsets.UTF_8);
    System.setOut(capture);
    System.setErr(capture);
    try {
      DataMigrationsCli.Builder cli =
          setUp.apply(
              DataMigrationsCli.forCatalog(new TestCatalog())
                  .environment(Map.of())
                  .out(capture)
                  .err(capture));
      int exitCode = cli.execute(args);
      return new Output(exitCode, captured.toString(StandardCharsets.UTF_8));
    } finally {
      System.setOut(systemOut);
      System.setErr(systemErr);
    }
  }

  private static void assertNoSecret(Output output, String... stillShown) {
    for (String secret : SECRETS) {
      assertFalse(output.text().contains(secret), secret + " leaked:\n" + output.text());
    }
    for (String shown : stillShown) {
      assertTrue(output.text().contains(shown), shown + " should still show:\n" + output.text());
    }
  }

  /**
   * Runs {@code args} as given and with {@code --verbose}; both exit with {@code exitCode} and leak
   * nothing.
   */
  private static void assertNoSecretEitherWay(
      UnaryOperator<DataMigrationsCli.Builder> setUp,
      int exitCode,
      List<String> stillShown,
      String... args) {
    List<String> verbose = new ArrayList<>(List.of(args));
    verbose.add(0, "--verbose");
    for (String[] variant : List.of(args, verbose.toArray(String[]::new))) {
      Output output = execute(setUp, variant);
      assertEquals(exitCode, output.exitCode(), output.text());
      assertNoSecret(output, stillShown.toArray(String[]::new));
    }
  }

  @Test
  void cannotConnectMasksUserInfoAndSecretSettingsButKeepsHostDatabaseAndKeyPath() {
    // No driver answers: DriverManager's own message quotes the whole URL too.
    assertNoSecretEitherWay(
        UnaryOperator.identity(),
        ExitCodes.USAGE,
        List.of(
            "Cannot connect to jdbc:nosuchdb://admin:***@db.example.com:5432/orders?password=***",
            "apiToken=***",
            "apiKey=***",
            "sslkey=/etc/ssl/client.pk8"),
        "--url",
        "jdbc:nosuchdb://admin:hunter2-userinfo@db.example.com:5432/orders?password=hunter2-query"
            + "&apiToken=hunter2-token&apiKey=hunter2-apikey&sslkey=/etc/ssl/client.pk8",
        "status");
  }

  @Test
  void postgresAndMariaDbConnectionErrorsMaskTheirPasswords() {
    assertNoSecretEitherWay(
        UnaryOperator.identity(),
        ExitCodes.USAGE,
        List.of("127.0.0.1:1/orders", "password=***", "sslpassword=***"),
        "--url",
        "jdbc:postgresql://127.0.0.1:1/orders?user=app&password=hunter2-pg&sslpassword=hunter2-sslpw",
        "migrate");
    assertNoSecretEitherWay(
        UnaryOperator.identity(),
        ExitCodes.USAGE,
        List.of("(host=127.0.0.1)(port=1)(password=***)/orders", "password=***"),
        "--url",
        "jdbc:mariadb:address=(host=127.0.0.1)(port=1)(password=hunter2-addr)/orders?user=app&password=hunter2-maria",
        "status");
    assertNoSecretEitherWay(
        UnaryOperator.identity(),
        ExitCodes.USAGE,
        List.of("jdbc:mysql://root:***@127.0.0.1:1/orders"),
        "--url",
        "jdbc:mysql://root:hunter2-mysql@127.0.0.1:1/orders?password=hunter2-mysql",
        "status");
    assertNoSecretEitherWay(
        UnaryOperator.identity(),
        ExitCodes.USAGE,
        List.of("jdbc:oracle:thin:scott/***@//db.example.com:1521/orders"),
        "--url",
        "jdbc:oracle:thin:scott/hunter2-oracle@//db.example.com:1521/orders",
        "status");
  }

  @Test
  void theConfiguredPasswordIsMaskedWhereverAMessageQuotesIt() {
    String url = "jdbc:h2:mem:secrets_" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";
    // A wrong password for an H2 database made with another, given by option and by environment
    // (once each:
    // H2 delays every failed login more than the last).
    execute(b -> b, "--url", url, "--user", "sa", "--password", "hunter2-h2", "pending");
    Output byOption =
        execute(
            b -> b,
            "--verbose",
            "--url",
            url,
            "--user",
            "sa",
            "--password",
            "hunter2-flag",
            "status");
    assertEquals(ExitCodes.USAGE, byOption.exitCode(), byOption.text());
    assertNoSecret(byOption, "Cannot connect to " + url);
    Output byEnvironment =
        execute(
            b ->
                b.environment(
                    Map.of("DATAMIGRATIONS_PASSWORD", "hunter2-env", "DATAMIGRATIONS_USER", "sa")),
            "--url",
            url,
            "status");
    assertEquals(ExitCodes.USAGE, byEnvironment.exitCode(), byEnvironment.text());
    assertNoSecret(byEnvironment, "Cannot connect to " + url);
    // A hook (the schema tool) whose error echoes the password and a URL with credentials.
    assertNoSecretEitherWay(
        b ->
            b.beforeCommand(
                dataSource -> {
                  throw new IllegalStateException(
                      "schema tool could not log in with hunter2-h2 to jdbc:h2:mem:x;PASSWORD=hunter2-h2");
                }),
        ExitCodes.MIGRATION_FAILED,
        List.of("schema tool could not log in with ***"),
        "--url",
        url,
        "--user",
        "sa",
        "--password",
        "hunter2-h2",
        "migrate");
  }

  @Test
  void aMigrationErrorQuotingAUrlIsMaskedInTheMessageAndTheLog() {
    String url = "jdbc:h2:mem:secrets_" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";
    MigrationCatalog leaky =
        new MigrationCatalog() {
          @Override
          public List<MigrationDescriptor> descriptors() {
            return List.of(
                new MigrationDescriptor(1, "Copy from the old system", "test.Copy", true, false));
          }

          @Override
          public Migration instantiate(int index) {
            return h -> {
              throw new IllegalStateException(
                  "cannot reach jdbc:postgresql://copy:hunter2-userinfo@old.example.com/legacy?password=hunter2-query");
            };
          }
        };
    Output output =
        execute(
            b ->
                DataMigrationsCli.forCatalog(leaky)
                    .environment(Map.of())
                    .out(System.out)
                    .err(System.err),
            "--url",
            url,
            "migrate");
    assertEquals(ExitCodes.MIGRATION_FAILED, output.exitCode(), output.text());
    assertNoSecret(output, "jdbc:postgresql://copy:***@old.example.com/legacy?password=***");
  }

  @Test
  void usageErrorsMaskWhatTheyQuote() {
    Output output = execute(b -> b, "--url", "jdbc:h2:mem:x", "status", "--token=hunter2-usage");
    assertEquals(ExitCodes.USAGE, output.exitCode(), output.text());
    assertNoSecret(output, "--token=***");
  }

  @Test
  void aMistypedPasswordOptionDoesNotPrintThePassword() {
    for (String[] args :
        List.of(
            new String[] {"--url", "jdbc:h2:mem:x", "--pasword", "hunter2-usage", "status"},
            new String[] {"--url", "jdbc:h2:mem:x", "status", "--pass", "hunter2-usage"},
            new String[] {"--url", "jdbc:h2:mem:x", "--passwd=hunter2-usage", "status"})) {
      Output output = execute(b -> b, args);
      assertEquals(ExitCodes.USAGE, output.exitCode(), output.text());
      assertNoSecret(output, "Run '");
    }
  }

  @Test
  void connectionDescriptionsMaskThePassword() {
    ConnectionOptions.Connection connection =
        new ConnectionOptions.Connection(
            "jdbc:postgresql://db/orders?password=hunter2-query", "app", "hunter2-flag");
    assertNoSecret(
        new Output(0, connection.toString()),
        "jdbc:postgresql://db/orders?password=***",
        "user app");
    assertNoSecret(new Output(0, new DriverManagerDataSource(connection).toString()), "db/orders");
  }
}
