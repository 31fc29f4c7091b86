package dev.datamigrations.benchmarks.live.migrations;

import dev.datamigrations.DataMigration;
import dev.datamigrations.runtime.backfill.Backfill;
import dev.datamigrations.runtime.backfill.Batch;
import dev.datamigrations.runtime.backfill.KeyRange;
import org.jdbi.v3.core.Handle;

/**
 * The live-traffic benchmark's change: fills the nullable column {@code
 * pgbench_accounts.abalance_cents}, which the harness adds before each phase, from {@code
 * abalance}, one key range of {@code aid} at a time. The plain {@code UPDATE} it is compared with
 * is {@link #PLAIN_UPDATE}: the same assignment over the whole table.
 */
@DataMigration(version = 20261202000000L, description = "Fill pgbench_accounts.abalance_cents")
public final class FillAbalanceCents implements Backfill {
  /** The column the change fills; nullable, added empty before each phase. */
  public static final String COLUMN = "abalance_cents";

  /** The same change as one statement. */
  public static final String PLAIN_UPDATE =
      "UPDATE pgbench_accounts SET " + COLUMN + " = abalance::bigint * 100";

  @Override
  public KeyRange keys() {
    return KeyRange.of("pgbench_accounts", "aid");
  }

  @Override
  public void process(Handle handle, Batch batch) {
    handle
        .createUpdate(PLAIN_UPDATE + " WHERE aid BETWEEN :first AND :last")
        .bind("first", batch.first())
        .bind("last", batch.last())
        .execute();
  }
}
