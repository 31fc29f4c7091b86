package dev.datamigrations.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.datamigrations.runtime.Migration;
import dev.datamigrations.runtime.MigrationCatalog;
import dev.datamigrations.runtime.MigrationDescriptor;
import dev.datamigrations.runtime.MigrationKind;
import dev.datamigrations.runtime.backfill.BackfillInputException;
import dev.datamigrations.runtime.backfill.CsvBackfill;
import dev.datamigrations.runtime.backfill.CsvBatch;
import dev.datamigrations.runtime.backfill.CsvRow;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.sql.DataSource;
import org.jdbi.v3.core.Handle;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * {@code datamigrations.backfill.csv.VERSION=FILE} gives a {@link CsvBackfill} its file under
 * Spring Boot: it runs at start-up with it; without it start-up fails with the runtime's refusal; a
 * key that is no version or a file that cannot be read fails binding, naming the property, before
 * anything touches the database.
 */
class CsvBackfillPropertyTest {
  private static final long VERSION = 20240701000000L;

  private static final ApplicationContextRunner CONTEXTS =
      new ApplicationContextRunner()
          .withConfiguration(AutoConfigurations.of(DataMigrationsAutoConfiguration.class));

  /** A catalog with one CSV backfill that inserts a customer per row. */
  static final class ImportCustomers implements MigrationCatalog {
    @Override
    public List<MigrationDescriptor> descriptors() {
      return List.of(
          new MigrationDescriptor(
              VERSION,
              "Import customers from CSV",
              ImportCustomers.class.getName(),
              false,
              false,
              MigrationKind.BACKFILL));
    }

    @Override
    public Migration instantiate(int index) {
      return new CsvBackfill() {
        @Override
        public void process(Handle handle, CsvBatch batch) {
          for (CsvRow row : batch) {
            handle.execute("INSERT INTO customers (name) VALUES (?)", row.get("name"));
          }
        }
      };
    }
  }

  private static ApplicationContextRunner contexts(DataSource dataSource) {
    return CONTEXTS
        .withBean(DataSource.class, () -> dataSource)
        .withBean(MigrationCatalog.class, ImportCustomers::new);
  }

  @Test
  void theCsvPropertyGivesTheBackfillItsFile(@TempDir Path dir) throws IOException {
    Path csv = dir.resolve("customers.csv");
    Files.writeString(csv, "name\nada\n\"linus, jr\"\ngrace\n", StandardCharsets.UTF_8);
    DataSource dataSource = H2.withCustomers();
    contexts(dataSource)
        .withPropertyValues(
            "datamigrations.batch-size=2", "datamigrations.backfill.csv." + VERSION + "=" + csv)
        .run(context -> assertThat(context).hasNotFailed());
    assertThat(H2.customers(dataSource)).containsExactly("ada", "linus, jr", "grace");
  }

  @Test
  void withoutTheFileStartupFailsWithTheRuntimesRefusal() {
    DataSource dataSource = H2.withCustomers();
    contexts(dataSource)
        .run(
            context -> {
              assertThat(context).hasFailed();
              assertThat(context.getStartupFailure())
                  .hasRootCauseInstanceOf(BackfillInputException.class);
              assertThat(H2.customers(dataSource)).isEmpty();
            });
  }

  @Test
  void aKeyThatIsNoVersionOrAFileThatCannotBeReadFailsBindingNamingTheProperty(@TempDir Path dir) {
    for (String property :
        List.of(
            "datamigrations.backfill.csv." + VERSION + "=" + dir.resolve("missing.csv"),
            "datamigrations.backfill.csv." + VERSION + "=" + dir,
            "datamigrations.backfill.csv.0=" + dir.resolve("missing.csv"),
            "datamigrations.backfill.csv.prices=" + dir.resolve("missing.csv"))) {
      DataSource dataSource = H2.withCustomers();
      contexts(dataSource)
          .withPropertyValues(property)
          .run(
              context -> {
                assertThat(context).as(property).hasFailed();
                BindException bind = findCause(context.getStartupFailure(), BindException.class);
                assertThat(bind).as(property + ": " + context.getStartupFailure()).isNotNull();
                // Boot names the group whose setter refused the entry; the message names the entry.
                assertThat(bind.getName().toString())
                    .as(property)
                    .startsWith("datamigrations.backfill");
                assertThat(H2.customers(dataSource)).as(property).isEmpty();
              });
    }
    // The message says which entry and what to do.
    DataSource dataSource = H2.withCustomers();
    contexts(dataSource)
        .withPropertyValues(
            "datamigrations.backfill.csv." + VERSION + "=" + dir.resolve("missing.csv"))
        .run(
            context ->
                assertThat(context.getStartupFailure())
                    .rootCause()
                    .hasMessageContaining("datamigrations.backfill.csv." + VERSION + " names ")
                    .hasMessageContaining("which is not a readable file"));
  }

  private static <T extends Throwable> T findCause(Throwable failure, Class<T> type) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (type.isInstance(t)) {
        return type.cast(t);
      }
    }
    return null;
  }
}
