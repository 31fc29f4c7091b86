package dev.datamigrations.runtime;

import dev.datamigrations.runtime.internal.BackfillHandler;
import dev.datamigrations.runtime.internal.EngineContext;

/**
 * A layer the runner calls at one point: today the backfill layer, whose settings ({@code
 * dev.datamigrations.runtime.backfill.BackfillSettings}) are the extension an application passes to
 * {@link MigrationRunner.Builder#with}. The engine knows only this interface, so that it never
 * depends on the layer; a runner whose catalog lists a backfill and was given no extension finds
 * the default one with {@link java.util.ServiceLoader} (file {@code
 * META-INF/services/dev.datamigrations.runtime.RunnerExtension}).
 */
public interface RunnerExtension {

  /**
   * Returns the part of this extension that runs the BACKFILL steps of one runner; called once, by
   * {@link MigrationRunner.Builder#build()} or the first facade that needs it. Engine-facing:
   * applications never call it.
   */
  BackfillHandler install(EngineContext engine);
}
