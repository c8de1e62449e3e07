#!/usr/bin/env bash
# Taking orders, from a run against the packaged jar: bench/acknowledgement-run.sh [--key=value ...]
#
# Builds target/onlinedukan.jar (unless BENCH_SKIP_BUILD=1), starts a throwaway PostgreSQL 15
# (wal_level=logical) and Redis in a temp dir, then runs com.onlinedukan.bench.AcknowledgementRun
# (src/test/java), which starts the jar as its own process configured by environment variables only
# (acknowledge-within 4 s, an escalation chat) against them and the tests' fake Bot API, places 30
# orders, presses "Take" on 20 of them through getUpdates (5 twice, by a second user; one press served
# again with the same update id), leaves 10 alone, waits past two periods and counts: delivered, taken,
# edits, "already taken" answers, reminders and escalations, from the fake and from the service's HTTP
# API. Prints a table; exits non-zero when a count is off. Options: --orders=30 --take=20 --double=5
# --within-seconds=4 --wait-seconds=240 --one-by-one (no digests). Needs (Debian): postgresql-15, redis-server.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)

PGBIN=${PGBIN:-/usr/lib/postgresql/15/bin}
REDIS_SERVER=${REDIS_SERVER:-$(command -v redis-server || true)}
if [[ -z "${BENCH_JAVA:-}" ]]; then
  if [[ -x /usr/lib/jvm/temurin-25-jdk-amd64/bin/java ]]; then BENCH_JAVA=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java
  else BENCH_JAVA=$(command -v java); fi
fi
[[ -x "$PGBIN/initdb" ]] || { echo "need PostgreSQL 15 binaries in $PGBIN (apt-get install postgresql-15)"; exit 2; }
[[ -n "$REDIS_SERVER" ]] || { echo "need redis-server (apt-get install redis-server)"; exit 2; }

# 1. The jar and the runner's classes (tests are not run here).
if [[ "${BENCH_SKIP_BUILD:-0}" != 1 ]]; then
  ./mvnw -q -o package -DskipTests || ./mvnw -q package -DskipTests
fi
if [[ "${BENCH_SKIP_BUILD:-0}" != 1 || ! -s target/bench.classpath ]]; then
  ./mvnw -q -o dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/bench.classpath \
    || ./mvnw -q dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/bench.classpath
fi

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
as_pg() { if [[ $(id -u) == 0 ]]; then su postgres -s /bin/sh -c "$*"; else sh -c "$*"; fi; }

# 2. Throwaway servers in a temp dir, stopped on exit.
TMP=$(mktemp -d /tmp/dukan-ack.XXXXXX)
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
cat >>"$PGDATA/postgresql.conf" <<CONF
listen_addresses = '127.0.0.1'
port = $PGPORT
unix_socket_directories = '$TMP'
wal_level = logical
max_wal_senders = 10
max_replication_slots = 10
CONF
as_pg "$PGBIN/pg_ctl -D $PGDATA -l $TMP/postgresql.log -w start" >/dev/null
"$PGBIN/psql" -q -h 127.0.0.1 -p "$PGPORT" -U postgres -c 'CREATE DATABASE dukan'

"$REDIS_SERVER" --port "$REDISPORT" --bind 127.0.0.1 --dir "$TMP/redis" --daemonize yes \
  --pidfile "$TMP/redis/redis.pid" --logfile "$TMP/redis/redis.log" --appendonly yes --save ''
for _ in $(seq 50); do [[ -f "$TMP/redis/redis.pid" ]] && break; sleep 0.1; done

# 3. The run.
"$BENCH_JAVA" -Xmx512m -cp "target/test-classes:$(cat target/bench.classpath)" com.onlinedukan.bench.AcknowledgementRun \
  --jar="$ROOT/target/onlinedukan.jar" --java="$BENCH_JAVA" --pg-port="$PGPORT" --redis-port="$REDISPORT" "$@"
