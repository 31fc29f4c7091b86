/**
 * The live-traffic benchmark (issue 13): pgbench's TPC-B-like load on its own {@code
 * pgbench_accounts}, and the same column filled by one plain {@code UPDATE} or by a backfill while
 * it runs; latency and throughput read from pgbench's per-transaction log. See BENCHMARKS.md.
 */
package dev.datamigrations.benchmarks.live;
