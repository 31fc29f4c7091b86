package dev.datamigrations.cli;

import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.function.Consumer;
import javax.sql.DataSource;

/**
 * What the embedding application set on {@link DataMigrationsCli.Builder}: fixed for one execution.
 */
record CliSettings(
    CatalogSource catalog,
    String defaultUrl,
    Consumer<DataSource> beforeCommand,
    PrintStream out,
    PrintStream err,
    Map<String, String> environment,
    Duration progressInterval,
    ProgressStyle progressStyle,
    Clock clock) {}
