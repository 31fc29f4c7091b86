/**
 * A web page and JSON API to watch and steer data migrations and backfills: {@link
 * dev.datamigrations.console.Console} answers requests without depending on any server ({@link
 * dev.datamigrations.console.ConsoleRequest} in, {@link dev.datamigrations.console.ConsoleResponse}
 * out), so that the JDK's {@code HttpServer} ({@link dev.datamigrations.console.ConsoleServer}) or
 * an application's own server can mount it; {@link dev.datamigrations.console.FailureRecorder}
 * records failed runs for it to show.
 */
package dev.datamigrations.console;
