#!/usr/bin/env bash
# The live-traffic benchmark (BENCHMARKS.md, "Backfills under live traffic"): builds the benchmarks jar, then runs
# pgbench alone / during a plain UPDATE / during a backfill, and the no-load comparison. Options go to the harness,
# e.g. benchmarks/live-traffic.sh --scale=10 --no-load-rows=10000000 --database=datamigrations_live_bench
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -q -pl benchmarks -am package -DskipTests
exec java -cp benchmarks/target/benchmarks.jar dev.datamigrations.benchmarks.live.LiveTrafficBenchmark "$@"
