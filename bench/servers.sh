# Sourced by bench/run.sh and bench/acknowledgement-run.sh (from the repository's root): the JDK,
# PostgreSQL 15 and redis-server to run with, and a throwaway PostgreSQL (wal_level=logical) and
# Redis in a temp dir, both stopped and the dir removed on exit (BENCH_KEEP_TMP=1 keeps it).
source bench/tools.sh
pick_java BENCH_JAVA

as_pg() { if [[ $(id -u) == 0 ]]; then su postgres -s /bin/sh -c "$*"; else sh -c "$*"; fi; }
bench_pg_ctl() { as_pg "$PGBIN/pg_ctl -D $PGDATA -l $TMP/postgresql.log -w $*"; }

# start_servers NAME [POSTGRESQL.CONF LINES]: sets TMP, PGPORT, REDISPORT; database "dukan" exists (PostgreSQL's socket in TMP).
start_servers() {
  TMP=$(mktemp -d "/tmp/dukan-$1.XXXXXX")
  chmod 755 "$TMP"
  PGDATA="$TMP/pg"
  REDISPORT=$(free_port)
  mkdir -p "$PGDATA" "$TMP/redis"
  [[ $(id -u) == 0 ]] && chown postgres "$PGDATA" "$TMP"
  trap stop_servers EXIT
  as_pg "$PGBIN/initdb -D $PGDATA -U postgres -A trust -E UTF8 --no-instructions" >"$TMP/initdb.log"
  start_postgres "$PGDATA" "$TMP/postgresql.log" "${2:-}" "$REDISPORT" bench_pg_ctl || exit 1
  "$PGBIN/psql" -q -h 127.0.0.1 -p "$PGPORT" -U postgres -c 'CREATE DATABASE dukan'
  "$REDIS_SERVER" --port "$REDISPORT" --bind 127.0.0.1 --dir "$TMP/redis" --daemonize yes \
    --pidfile "$TMP/redis/redis.pid" --logfile "$TMP/redis/redis.log" \
    --appendonly yes --appendfsync everysec --save ''
  for _ in $(seq 50); do [[ -f "$TMP/redis/redis.pid" ]] && break; sleep 0.1; done
}

stop_servers() {
  as_pg "$PGBIN/pg_ctl -D $PGDATA -m fast -w stop" >/dev/null 2>&1 || true
  [[ -f "$TMP/redis/redis.pid" ]] && kill "$(cat "$TMP/redis/redis.pid")" 2>/dev/null || true
  [[ "${BENCH_KEEP_TMP:-0}" == 1 ]] || rm -rf "$TMP"
}
