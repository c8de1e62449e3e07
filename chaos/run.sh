#!/usr/bin/env bash
# The chaos run a reviewer can repeat: chaos/run.sh [--short|--long] [--seed=N] [--no-build] [--key=value ...]
#
# Tries hard to lose notifications and counts what was lost and sent twice. Builds
# target/onlinedukan.jar (unless --no-build: CI reuses the jar `./mvnw verify` just built), starts a
# throwaway PostgreSQL 15 (wal_level=logical) in a temp dir, then runs com.onlinedukan.chaos.ChaosRun
# (src/test/java), which starts Redis, a fake Bot API with faults, two instances of the jar as OS
# processes (each behind proxies of its own to PostgreSQL and Redis), a steady order load, and a
# fault schedule drawn from the printed seed. The report goes to chaos/reports/<short|long>-latest.{md,json,svg};
# the exit status is non-zero when anything was lost, dead, or sent twice without a fault to explain it.
# --short: a few minutes (CI); --long: about 20 minutes, thousands of orders.
# Needs (Debian): postgresql-15, redis-server, faketime (libfaketime: PostgreSQL runs under it, so the run can step the
# database's wall clock ahead of the service's; without it that fault cannot happen and the run fails).
# As root, PostgreSQL runs as the 'postgres' user.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)

BUILD=1
RUNNER_ARGS=()
for a in "$@"; do
  case "$a" in
    --no-build) BUILD=0 ;;
    *) RUNNER_ARGS+=("$a") ;;
  esac
done

# The same PostgreSQL 15, redis-server and JDK as the benchmark.
source bench/tools.sh
pick_java CHAOS_JAVA

# 1. The jar and the runner's classes (no tests are run here).
if [[ $BUILD == 1 ]]; then
  ./mvnw -q -o package -DskipTests || ./mvnw -q package -DskipTests
fi
[[ -f target/onlinedukan.jar && -d target/test-classes/com/onlinedukan/chaos ]] \
  || { echo "target/onlinedukan.jar or the test classes are missing: run without --no-build"; exit 2; }
./mvnw -q -o dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/chaos.classpath >/dev/null 2>&1 \
  || ./mvnw -q dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/chaos.classpath

# 2. A throwaway PostgreSQL in a temp dir (stopped on exit); pgctl.sh lets the runner stop and start it.
# It runs under libfaketime with its offset in pg-clock.rc ("+0": the real time), which the runner rewrites
# to step the database's wall clock (now(), clock_timestamp()) ahead. Every PostgreSQL process reads it on
# every clock call (FAKETIME_NO_CACHE), so the server has one clock that steps at one instant, as a host's
# clock does; with libfaketime's cache each backend stepped up to two seconds after the others, and a
# backend still ahead judged leases granted by one already back as run out (two copies of an order).
# The monotonic clock is left alone, as an NTP step leaves it.
TMP=$(mktemp -d /tmp/dukan-chaos.XXXXXX)
chmod 755 "$TMP"
PGDATA="$TMP/pg"
REDISPORT=$(free_port)
mkdir -p "$PGDATA" "$TMP/redis"
LIBFAKETIME=${LIBFAKETIME:-/usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1}
PGCLOCK_ARGS=()
FAKETIME_ENV=""
if [[ -f "$LIBFAKETIME" ]]; then
  echo "+0" >"$TMP/pg-clock.rc"
  chmod 644 "$TMP/pg-clock.rc"
  FAKETIME_ENV="LD_PRELOAD=$LIBFAKETIME FAKETIME_TIMESTAMP_FILE=$TMP/pg-clock.rc FAKETIME_NO_CACHE=1 FAKETIME_DONT_FAKE_MONOTONIC=1"
  PGCLOCK_ARGS=(--pg-clock="$TMP/pg-clock.rc")
else
  echo "no libfaketime at $LIBFAKETIME (apt-get install faketime): the database clock fault cannot happen"
fi
cat >"$TMP/pgctl.sh" <<EOF
#!/bin/sh
if [ "\$(id -u)" = 0 ]; then
  exec su postgres -s /bin/sh -c "env $FAKETIME_ENV $PGBIN/pg_ctl -D $PGDATA -l $TMP/postgresql.log -w \$*"
fi
exec env $FAKETIME_ENV $PGBIN/pg_ctl -D $PGDATA -l $TMP/postgresql.log -w "\$@"
EOF
chmod 755 "$TMP/pgctl.sh"
if [[ $(id -u) == 0 ]]; then
  chown postgres "$PGDATA" "$TMP"
  su postgres -s /bin/sh -c "$PGBIN/initdb -D $PGDATA -U postgres -A trust -E UTF8 --no-instructions" >"$TMP/initdb.log"
else
  "$PGBIN/initdb" -D "$PGDATA" -U postgres -A trust -E UTF8 --no-instructions >"$TMP/initdb.log"
fi
cleanup() {
  "$TMP/pgctl.sh" stop -m fast >/dev/null 2>&1 || true
  mkdir -p target/chaos && cp "$TMP/postgresql.log" "$TMP/redis/redis.log" target/chaos/ 2>/dev/null || true
  [[ "${CHAOS_KEEP_TMP:-0}" == 1 ]] || rm -rf "$TMP"
}
trap cleanup EXIT
start_postgres "$PGDATA" "$TMP/postgresql.log" $'max_connections = 100\nshared_buffers = 128MB' "$REDISPORT" "$TMP/pgctl.sh" \
  || exit 1
"$PGBIN/psql" -q -h 127.0.0.1 -p "$PGPORT" -U postgres -c 'CREATE DATABASE dukan'

# 3. The runner (JDK 25 if installed, for it and the instances); the instances' logs go to target/chaos.
mkdir -p target/chaos
rm -f target/chaos/instance-*.log
"$CHAOS_JAVA" -Xmx768m -cp "target/test-classes:$(cat target/chaos.classpath)" com.onlinedukan.chaos.ChaosRun \
  --jar="$ROOT/target/onlinedukan.jar" --java="$CHAOS_JAVA" --pg-ctl="$TMP/pgctl.sh" --pg-port="$PGPORT" \
  --redis-server="$REDIS_SERVER" --redis-dir="$TMP/redis" --redis-port="$REDISPORT" \
  --log-dir="$ROOT/target/chaos" --out-dir="$ROOT/chaos/reports" ${PGCLOCK_ARGS[@]+"${PGCLOCK_ARGS[@]}"} \
  ${RUNNER_ARGS[@]+"${RUNNER_ARGS[@]}"}
