/**
 * The benchmark harness: generates N migrations for each library, compiles them, applies them on H2
 * and PostgreSQL and prints medians and same-run ratios against Flyway and the raw-JDBC limit. See
 * BENCHMARKS.md.
 */
package dev.datamigrations.benchmarks;
