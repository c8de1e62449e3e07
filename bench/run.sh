#!/usr/bin/env bash
# The service benchmark a reviewer can rerun: bench/run.sh [--quick] [--key=value ...]
#
# Builds target/onlinedukan.jar, starts a throwaway PostgreSQL 15 (wal_level=logical) and Redis in a
# temp dir, then runs com.onlinedukan.bench.ServiceBench (src/test/java), which starts the jar as its
# own process against them and a fake Bot API, drives POST /api/orders, runs pgbench on a copy of
# the schema (database "floor", read by no relay), and writes BENCHMARKS.md and bench/latency.svg.
# Needs (Debian): postgresql-15 (+ pgbench), redis-server, and hey for the AOT cache's training load. Run as root or as a user that can run
# the PostgreSQL binaries (as root they are run as the 'postgres' user).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)

source bench/servers.sh
[[ -x "$PGBIN/pgbench" ]] || { echo "need pgbench in $PGBIN (apt-get install postgresql-contrib)"; exit 2; }

# 1. The jar and the runner's classes (tests are not run here).
if [[ "${BENCH_SKIP_BUILD:-0}" != 1 ]]; then
  ./mvnw -q -o package -DskipTests || ./mvnw -q package -DskipTests
  ./mvnw -q -o dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/bench.classpath >/dev/null 2>&1 \
    || ./mvnw -q dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/bench.classpath
fi

# 1b. The JDK 25 AOT cache for section 7 (the first minute after a deploy), made anew when the jar is newer.
if [[ "${BENCH_AOT:-1}" == 1 ]] && "$BENCH_JAVA" -XX:AOTMode=off -version >/dev/null 2>&1 \
    && [[ ! target/aot/onlinedukan.aot -nt target/onlinedukan.jar ]]; then
  AOT_JAVA="$BENCH_JAVA" bench/aot-cache.sh
fi

# 2. Throwaway servers in a temp dir, stopped on exit; "floor" is the schema pgbench runs on, read by no relay.
# pg_stat_statements: with --jfr, the report says which statements PostgreSQL's time goes to.
start_servers bench $'max_connections = 200\nshared_buffers = 256MB\nshared_preload_libraries = \'pg_stat_statements\''
"$PGBIN/psql" -q -h 127.0.0.1 -p "$PGPORT" -U postgres -c 'CREATE EXTENSION pg_stat_statements'
"$PGBIN/psql" -q -h 127.0.0.1 -p "$PGPORT" -U postgres -c 'CREATE DATABASE floor'
for f in $(ls db/migration/V*.sql | sort -V); do
  "$PGBIN/psql" -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$PGPORT" -U postgres -d floor -f "$f" >/dev/null
done

# 3. The runner.
"$BENCH_JAVA" -Xmx1g -cp "target/test-classes:$(cat target/bench.classpath)" com.onlinedukan.bench.ServiceBench \
  --jar="$ROOT/target/onlinedukan.jar" --java="$BENCH_JAVA" \
  --pg-port="$PGPORT" --redis-port="$REDISPORT" --pgbench="$PGBIN/pgbench" \
  --work-dir="$TMP" --out="$ROOT/BENCHMARKS.md" --svg="$ROOT/bench/latency.svg" "$@"
