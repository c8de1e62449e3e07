#!/usr/bin/env bash
# A JDK 25 AOT cache for the service (JEP 483/514/515): bench/aot-cache.sh [--seconds=N]
#
# The cache holds the classes loaded and linked during a training run, and the method profiles the JIT
# gathered there, so a fresh JVM starts with them instead of spending its first minute finding them.
# It only serves classes loaded by the JDK's own class loaders, so the fat jar is first extracted into
# a plain jar and its lib/ (Spring Boot's `jarmode=tools extract`); the cache then goes with that
# layout and with the JDK that made it:
#
#   target/aot/onlinedukan.jar     the application, lib/ beside it (its manifest names them)
#   target/aot/onlinedukan.aot     the cache
#   java -XX:AOTCache=target/aot/onlinedukan.aot -jar target/aot/onlinedukan.jar
#
# The training run is the embedded default (its own PostgreSQL and Redis in a temporary directory):
# its own warm-up before readiness (dukan.orders.warm-up), then orders for --seconds (default 40)
# at 8 clients, reading them back and asking the ops API, then a graceful stop: the JVM writes the
# cache as it exits. Its notifications go through the real Telegram client to the benchmark's fake
# Bot API (com.onlinedukan.bench.FakeTelegram, Telegram's limits lifted) when the test classes and
# target/bench.classpath are there (bench/run.sh builds both), so the client's classes and profiles
# are in the cache; otherwise Telegram is in dry run and the first sends load them. (The
# Dockerfile's cache has the warm-up alone.) Nothing here changes the jar, which still runs on
# JDK 17 without the cache.
set -euo pipefail
cd "$(dirname "$0")/.."

SECONDS_OF_LOAD=40
for a in "$@"; do
  case "$a" in
    --seconds=*) SECONDS_OF_LOAD=${a#*=} ;;
    *) echo "unknown argument $a"; exit 2 ;;
  esac
done
JAVA=${AOT_JAVA:-/usr/lib/jvm/temurin-25-jdk-amd64/bin/java}
"$JAVA" -XX:AOTMode=off -version >/dev/null 2>&1 \
  || { echo "need a JDK 25 or newer for an AOT cache (AOT_JAVA=.../bin/java); $JAVA is not one"; exit 2; }
# The training load is hey's: without it the cache would be trained on a service that took no orders.
command -v hey >/dev/null || { echo "need hey for the training load (apt-get install hey)"; exit 2; }
[[ -f target/onlinedukan.jar ]] || ./mvnw -B -ntp -q package -DskipTests

OUT=target/aot
rm -rf "$OUT"
"$JAVA" -Djarmode=tools -jar target/onlinedukan.jar extract --destination "$OUT" >/dev/null

TMP=$(mktemp -d /tmp/dukan-aot.XXXXXX)
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()')
service=
telegram=
cleanup() {
  [[ -n "$service" ]] && kill "$service" 2>/dev/null || true
  [[ -n "$telegram" ]] && kill "$telegram" 2>/dev/null || true
  rm -rf "$TMP"
}
trap cleanup EXIT

# Telegram: the benchmark's fake Bot API where the test classes are built, else dry run.
telegram_env=()
if [[ -f target/bench.classpath && -f target/test-classes/com/onlinedukan/bench/FakeTelegram.class ]]; then
  "$JAVA" -Xmx256m -cp "target/test-classes:$(cat target/bench.classpath)" com.onlinedukan.bench.FakeTelegram \
    >"$TMP/telegram.out" 2>&1 &
  telegram=$!
  for _ in $(seq 100); do
    [[ -s "$TMP/telegram.out" ]] && break
    sleep 0.1
  done
  url=$(head -n 1 "$TMP/telegram.out")
  [[ "$url" == http://* ]] || { cat "$TMP/telegram.out"; echo "the fake Bot API did not start"; exit 1; }
  telegram_env=(TELEGRAM_BOT_TOKEN=123456:training-token TELEGRAM_CHAT_ID=-1001234567890 TELEGRAM_API_URL="$url"
    DUKAN_TELEGRAM_RATE_GLOBALPERSECOND=100000 DUKAN_TELEGRAM_RATE_PERCHATPERMINUTE=6000000
    DUKAN_TELEGRAM_RATE_PERCHATPERSECOND=100000)
  echo "== Telegram: the fake Bot API at $url, through the real client"
else
  echo "== Telegram: dry run (no test classes: bench/run.sh builds them, or ./mvnw test-compile and dependency:build-classpath)"
fi

echo "== training run on port $PORT ($SECONDS_OF_LOAD s of orders), log in $TMP/service.log"
env "${telegram_env[@]}" "$JAVA" -XX:AOTCacheOutput="$OUT/onlinedukan.aot" -Xms512m -Xmx512m \
  -Ddukan.embedded.data-dir="$TMP/data" -Dserver.port="$PORT" \
  -Ddukan.ops.username=aot -Ddukan.ops.password=aot-training-only \
  -jar "$OUT/onlinedukan.jar" >"$TMP/service.log" 2>&1 &
service=$!
for _ in $(seq 240); do
  curl -fsS "http://127.0.0.1:$PORT/actuator/health/readiness" >/dev/null 2>&1 && break
  kill -0 "$service" 2>/dev/null || { tail -50 "$TMP/service.log"; echo "the training run did not start"; exit 1; }
  sleep 0.5
done

order='{"customer":{"name":"AOT Training","phone":"+998901234567"},"items":[{"sku":"TEA-001","name":"Green tea 100g","quantity":2,"unitPrice":12.50}],"comment":"training"}'
readers() {
  local end=$((SECONDS + SECONDS_OF_LOAD))
  while ((SECONDS < end)); do
    id=$(curl -fsS -H 'Content-Type: application/json' -d "$order" "http://127.0.0.1:$PORT/api/orders" \
      | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')
    curl -fsS "http://127.0.0.1:$PORT/api/orders/$id" >/dev/null
    curl -fsS -H "Idempotency-Key: aot-$id" -H 'Content-Type: application/json' -d "$order" "http://127.0.0.1:$PORT/api/orders" >/dev/null
    curl -fsS -u aot:aot-training-only "http://127.0.0.1:$PORT/api/ops/pipeline" >/dev/null
    curl -fsS -u aot:aot-training-only "http://127.0.0.1:$PORT/api/ops/notifications?limit=20" >/dev/null
    curl -s -o /dev/null -H 'Content-Type: application/json' -d '{"items":[]}' "http://127.0.0.1:$PORT/api/orders"
    curl -fsS "http://127.0.0.1:$PORT/actuator/prometheus" >/dev/null
    sleep 0.2
  done
}
readers &
readers_pid=$!
hey -z "${SECONDS_OF_LOAD}s" -c 8 -m POST -T application/json -d "$order" "http://127.0.0.1:$PORT/api/orders" \
  | grep -E 'Requests/sec|\[201\]|\[5' || { echo "the training load did not run (no summary from hey)"; exit 1; }
wait "$readers_pid" || true

echo "== stopping: the JVM writes the cache as it exits"
kill -TERM "$service"
wait "$service" || true
service=
[[ -f "$OUT/onlinedukan.aot" ]] || { tail -30 "$TMP/service.log"; echo "no cache was written"; exit 1; }
ls -l "$OUT/onlinedukan.aot"
echo "run it with: $JAVA -XX:AOTCache=$OUT/onlinedukan.aot -jar $OUT/onlinedukan.jar"
