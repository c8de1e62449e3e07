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

source bench/servers.sh

# 1. The jar and the runner's classes (tests are not run here).
if [[ "${BENCH_SKIP_BUILD:-0}" != 1 ]]; then
  ./mvnw -q -o package -DskipTests || ./mvnw -q package -DskipTests
fi
if [[ "${BENCH_SKIP_BUILD:-0}" != 1 || ! -s target/bench.classpath ]]; then
  ./mvnw -q -o dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/bench.classpath \
    || ./mvnw -q dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/bench.classpath
fi

# 2. Throwaway servers in a temp dir, stopped on exit.
start_servers ack

# 3. The run.
"$BENCH_JAVA" -Xmx512m -cp "target/test-classes:$(cat target/bench.classpath)" com.onlinedukan.bench.AcknowledgementRun \
  --jar="$ROOT/target/onlinedukan.jar" --java="$BENCH_JAVA" --pg-port="$PGPORT" --redis-port="$REDISPORT" "$@"
