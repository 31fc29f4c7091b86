package dev.datamigrations.runtime;

/** Which way a migration was run. */
public enum Direction {
  /** {@link Migration#up}: applied, history row written. */
  UP,
  /** {@link Migration#down}: reverted, history row deleted. */
  DOWN
}
