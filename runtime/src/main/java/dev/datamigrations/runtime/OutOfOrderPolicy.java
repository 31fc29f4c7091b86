package dev.datamigrations.runtime;

/**
 * What {@link MigrationRunner#migrate()} does with a pending version lower than the newest applied
 * one (a branch merged late).
 */
public enum OutOfOrderPolicy {
  /** Apply it, with a logged warning, as Rails does (the default). */
  APPLY,
  /**
   * Refuse the whole run, before anything changes, with an {@link OutOfOrderMigrationException}.
   */
  REFUSE
}
