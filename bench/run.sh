#!/usr/bin/env bash
# The service benchmark a reviewer can rerun: bench/run.sh [--quick] [--key=value ...]
#
# Builds target/onlinedukan.jar, starts a throwaway PostgreSQL 15 (wal_level=logical) and Redis in a
# temp dir, then runs com.onlinedukan.bench.ServiceBench (src/test/java), which starts the jar as its
# own process against them and a fake Bot API, drives POST /api/orders, runs pgbench on a copy of
# the schema (database "floor", read by no relay), and writes BENCHMARKS.md and bench/latency.svg.
# Needs (Debian): postgresql-15 (+ pgbench), redis-server. Run as root or as a user that can run
# the PostgreSQL binaries (as root they are run as the 'postgres' user).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)

PGBIN=${PGBIN:-/usr/lib/postgresql/15/bin}
REDIS_SERVER=${REDIS_SERVER:-$(command -v redis-server || true)}
if [[ -z "${BENCH_JAVA:-}" ]]; then
  if [[ -x /usr/lib/jvm/temurin-25-jdk-amd64/bin/java ]]; then BENCH_JAVA=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java
  else BENCH_JAVA=$(command -v java); fi
fi
[[ -x "$PGBIN/initdb" && -x "$PGBIN/pgbench" ]] || { echo "need PostgreSQL 15 binaries in $PGBIN (apt-get install postgresql-15 postgresql-contrib)"; exit 2; }
[[ -n "$REDIS_SERVER" ]] || { echo "need redis-server (apt-get install redis-server)"; exit 2; }

# 1. The jar and the runner's classes (tests are not run here).
if [[ "${BENCH_SKIP_BUILD:-0}" != 1 ]]; then
  ./mvnw -q -o package -DskipTests || ./mvnw -q package -DskipTests
  ./mvnw -q -o dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/bench.classpath \
    || ./mvnw -q dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/bench.classpath
fi

# 1b. The JDK 25 AOT cache for section 7 (the first minute after a deploy), made anew when the jar is newer.
if [[ "${BENCH_AOT:-1}" == 1 ]] && "$BENCH_JAVA" -XX:AOTMode=off -version >/dev/null 2>&1 \
    && [[ ! target/aot/onlinedukan.aot -nt target/onlinedukan.jar ]]; then
  AOT_JAVA="$BENCH_JAVA" bench/aot-cache.sh
fi

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
as_pg() { if [[ $(id -u) == 0 ]]; then su postgres -s /bin/sh -c "$*"; else sh -c "$*"; fi; }

# 2. Throwaway servers in a temp dir, stopped on exit.
TMP=$(mktemp -d /tmp/dukan-bench.XXXXXX)
chmod 755 "$TMP"
PGDATA="$TMP/pg"
PGPORT=$(free_port)
REDISPORT=$(free_port)
mkdir -p "$PGDATA" "$TMP/redis"
[[ $(id -u) == 0 ]] && chown postgres "$PGDATA" "$TMP"
cleanup() {
  as_pg "$PGBIN/pg_ctl -D $PGDATA -m fast -w stop" >/dev/null 2>&1 || true
  [[ -f "$TMP/redis/redis.pid" ]] && kill "$(cat "$TMP/redis/redis.pid")" 2>/dev/null || true
  [[ "${BENCH_KEEP_TMP:-0}" == 1 ]] || rm -rf "$TMP"
}
trap cleanup EXIT

as_pg "$PGBIN/initdb -D $PGDATA -U postgres -A trust -E UTF8 --no-instructions" >"$TMP/initdb.log"
cat >>"$PGDATA/postgresql.conf" <<EOF
listen_addresses = '127.0.0.1'
port = $PGPORT
unix_socket_directories = '$TMP'
wal_level = logical
max_wal_senders = 10
max_replication_slots = 10
max_connections = 200
shared_buffers = 256MB
EOF
as_pg "$PGBIN/pg_ctl -D $PGDATA -l $TMP/postgresql.log -w start" >/dev/null
"$PGBIN/psql" -q -h 127.0.0.1 -p "$PGPORT" -U postgres -c 'CREATE DATABASE dukan' -c 'CREATE DATABASE floor'
for f in $(ls db/migration/V*.sql | sort -V); do
  "$PGBIN/psql" -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$PGPORT" -U postgres -d floor -f "$f" >/dev/null
done

"$REDIS_SERVER" --port "$REDISPORT" --bind 127.0.0.1 --dir "$TMP/redis" --daemonize yes \
  --pidfile "$TMP/redis/redis.pid" --logfile "$TMP/redis/redis.log" \
  --appendonly yes --appendfsync everysec --save ''
for _ in $(seq 50); do [[ -f "$TMP/redis/redis.pid" ]] && break; sleep 0.1; done

# 3. The runner.
"$BENCH_JAVA" -Xmx1g -cp "target/test-classes:$(cat target/bench.classpath)" com.onlinedukan.bench.ServiceBench \
  --jar="$ROOT/target/onlinedukan.jar" --java="$BENCH_JAVA" \
  --pg-port="$PGPORT" --redis-port="$REDISPORT" --pgbench="$PGBIN/pgbench" \
  --work-dir="$TMP" --out="$ROOT/BENCHMARKS.md" --svg="$ROOT/bench/latency.svg" "$@"
