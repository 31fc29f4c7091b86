package dev.datamigrations.runtime.backfill.internal;

import dev.datamigrations.runtime.RunnerExtension;
import dev.datamigrations.runtime.backfill.BackfillSettings;
import dev.datamigrations.runtime.internal.BackfillHandler;
import dev.datamigrations.runtime.internal.EngineContext;

/**
 * The backfill layer a runner uses when its catalog lists a backfill and it was given no {@link
 * BackfillSettings}: found by {@link java.util.ServiceLoader} through {@code
 * META-INF/services/dev.datamigrations.runtime.RunnerExtension}, so that the engine never names it.
 */
public final class DefaultBackfillExtension implements RunnerExtension {

  @Override
  public BackfillHandler install(EngineContext engine) {
    return BackfillSettings.defaults().install(engine);
  }
}
