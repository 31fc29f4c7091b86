package dev.datamigrations.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** What {@link Redaction} masks, and what it keeps so that a message still helps. */
class RedactionTest {

  @Test
  void masksUserInfoAndKeepsUserHostAndDatabase() {
    assertEquals(
        "jdbc:postgresql://app:***@db.example.com:5432/orders",
        Redaction.redact("jdbc:postgresql://app:s3cret@db.example.com:5432/orders"));
    assertEquals(
        "jdbc:oracle:thin:scott/***@//db:1521/orders",
        Redaction.redact("jdbc:oracle:thin:scott/tiger@//db:1521/orders"));
    // No user-info: a port and a path are not a password.
    assertEquals(
        "jdbc:postgresql://db:5432/orders?x=a@b",
        Redaction.redact("jdbc:postgresql://db:5432/orders?x=a@b"));
  }

  @Test
  void masksSecretSettingsInEveryForm() {
    assertEquals(
        "jdbc:mysql://db/orders?user=app&password=***&useSSL=true",
        Redaction.redact("jdbc:mysql://db/orders?user=app&password=s3cret&useSSL=true"));
    assertEquals(
        "jdbc:h2:./db;USER=sa;PASSWORD=***;MODE=MySQL",
        Redaction.redact("jdbc:h2:./db;USER=sa;PASSWORD=x;MODE=MySQL"));
    assertEquals(
        "jdbc:mariadb:address=(host=db)(port=3306)(password=***)/orders",
        Redaction.redact("jdbc:mariadb:address=(host=db)(port=3306)(password=s3cret)/orders"));
    assertEquals(
        "x?accessToken=***&client_secret=***&pwd=***&apiKey=***&privateKey=***&keyStorePassword=***",
        Redaction.redact(
            "x?accessToken=a&client_secret=b&pwd=c&apiKey=d&privateKey=e&keyStorePassword=f"));
  }

  @Test
  void keepsKeyFilePathsWhichAreNoSecrets() {
    String paths =
        "x?sslkey=/etc/ssl/client.pk8&keyStore=/etc/ks.jks&keyStoreType=JKS&private_key_file=/k.p8";
    assertEquals(paths, Redaction.redact(paths));
    assertFalse(Redaction.isSecretName("sslkey"));
    assertTrue(Redaction.isSecretName("sslpassword"));
    assertTrue(Redaction.isSecretName("private_key_file_pwd"));
  }

  @Test
  void masksLiteralSecretsAndTheirUrlEncodedForm() {
    assertEquals(
        "FATAL: login with *** failed (***)",
        Redaction.redact("FATAL: login with p@ss word failed (p%40ss+word)", "p@ss word"));
    // Too short to search for without masking unrelated text.
    assertEquals("a b c", Redaction.redact("a b c", "a", null));
  }

  @Test
  void masksAWholePasswordThatHoldsASlashAnAtSignOrAComma() {
    // As typed, not percent-encoded: drivers echo such URLs ("No suitable driver found for ...").
    assertEquals(
        "jdbc:postgresql://app:***@db/orders",
        Redaction.redact("jdbc:postgresql://app:a/b@db/orders"));
    assertEquals(
        "jdbc:mysql://app:***@db/orders?x=1",
        Redaction.redact("jdbc:mysql://app:p@ss@db/orders?x=1"));
    assertEquals(
        "jdbc:postgresql://db/orders?password=***&ssl=true",
        Redaction.redact("jdbc:postgresql://db/orders?password=abc,def&ssl=true"));
    // SQL Server's braces quote a value that holds ';' ('}}' is a '}' inside them).
    assertEquals(
        "jdbc:sqlserver://db;user=app;password=***;encrypt=true",
        Redaction.redact("jdbc:sqlserver://db;user=app;password={a;b}}c};encrypt=true"));
    // A comma and a space end a value (Properties.toString()): the next setting stays.
    assertEquals("{password=***, user=app}", Redaction.redact("{password=abc, user=app}"));
    // A port, then an '@' past the query: still no user-info.
    assertEquals(
        "jdbc:postgresql://db:5432/orders?x=a@b",
        Redaction.redact("jdbc:postgresql://db:5432/orders?x=a@b"));
  }

  @Test
  void masksPasswordsWrittenInSqlWholeEvenWithSpacesInThem() {
    assertEquals(
        "CREATE USER app IDENTIFIED BY *** REQUIRE SSL",
        Redaction.redact("CREATE USER app IDENTIFIED BY 'hunter 22' REQUIRE SSL"));
    assertEquals(
        "ALTER USER app IDENTIFIED WITH mysql_native_password BY ***",
        Redaction.redact("ALTER USER app IDENTIFIED WITH mysql_native_password BY 'hunter22'"));
    assertEquals(
        "CREATE USER app IDENTIFIED VIA ed25519 USING PASSWORD(***)",
        Redaction.redact("CREATE USER app IDENTIFIED VIA ed25519 USING PASSWORD('hunter22')"));
    assertEquals(
        "SET PASSWORD FOR app = PASSWORD(***)",
        Redaction.redact("SET PASSWORD FOR app = PASSWORD('hunter22')"));
    assertEquals(
        "CREATE ROLE app LOGIN ENCRYPTED PASSWORD *** VALID UNTIL 'infinity'",
        Redaction.redact(
            "CREATE ROLE app LOGIN ENCRYPTED PASSWORD 'it''s secret' VALID UNTIL 'infinity'"));
    assertEquals(
        "ALTER USER sa SET PASSWORD ***",
        Redaction.redact("ALTER USER sa SET PASSWORD 'hunter22'"));
    assertEquals(
        "UPDATE users SET password = *** WHERE id = 1",
        Redaction.redact("UPDATE users SET password = 'hunter 22' WHERE id = 1"));
    // Cut before its closing quote: masked to the end.
    assertEquals("ALTER ROLE app PASSWORD ***", Redaction.redact("ALTER ROLE app PASSWORD 'hunt"));
    // The word alone, or a column named like it, is no secret.
    assertEquals(
        "SELECT password_hash FROM users WHERE name = 'x'",
        Redaction.redact("SELECT password_hash FROM users WHERE name = 'x'"));
  }

  @Test
  void aMegabyteOfTextIsMaskedInLinearTimeWithoutAStackOverflow() {
    int megabyte = 1 << 20;
    // Each took hours (a name run that never meets '=': quadratic) or overflowed the stack (one
    // regex recursion per character of a long value).
    String hex = "0123456789abcdef".repeat(megabyte / 16);
    String braces = "{" + "a}}".repeat(megabyte / 3) + "}";
    String commas = "1,".repeat(megabyte / 2) + "1";
    String literal = "a''".repeat(megabyte / 3);
    org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(
        java.time.Duration.ofSeconds(20),
        () -> {
          assertEquals(
              "password=*** bad value " + hex,
              Redaction.redact("password=hunter22 bad value " + hex));
          assertEquals("x pwd=*** y", Redaction.redact("x pwd=" + braces + " y"));
          assertEquals("x token=*** y", Redaction.redact("x token=" + commas + " y"));
          assertEquals(
              "ALTER USER app PASSWORD ***",
              Redaction.redact("ALTER USER app PASSWORD '" + literal));
        });
  }
}
