# Sourced by bench/servers.sh and chaos/run.sh (from the repository's root): the PostgreSQL 15 binaries
# (PGBIN) and redis-server (REDIS_SERVER) to run, each as given or else Debian's, and pick_java.
PGBIN=${PGBIN:-/usr/lib/postgresql/15/bin}
REDIS_SERVER=${REDIS_SERVER:-$(command -v redis-server || true)}
[[ -x "$PGBIN/initdb" ]] || { echo "need PostgreSQL 15 binaries in $PGBIN (apt-get install postgresql-15)"; exit 2; }
[[ -n "$REDIS_SERVER" ]] || { echo "need redis-server (apt-get install redis-server)"; exit 2; }

# pick_java VAR: leaves VAR (BENCH_JAVA, CHAOS_JAVA) as given, else sets it to JDK 25 where installed, else java.
pick_java() {
  if [[ -z "${!1:-}" ]]; then
    if [[ -x /usr/lib/jvm/temurin-25-jdk-amd64/bin/java ]]; then printf -v "$1" '%s' /usr/lib/jvm/temurin-25-jdk-amd64/bin/java
    else printf -v "$1" '%s' "$(command -v java)"; fi
  fi
}

# logical_postgres_conf PORT SOCKET_DIR: the postgresql.conf lines both runs need: loopback only, logical decoding.
logical_postgres_conf() {
  cat <<CONF
listen_addresses = '127.0.0.1'
port = $1
unix_socket_directories = '$2'
wal_level = logical
max_wal_senders = 10
max_replication_slots = 10
CONF
}

# free_port [AVOID]: a loopback port nothing holds (and not AVOID), drawn below the kernel's ephemeral range. A port
# inside it can be the local end of some process's outbound connection: nothing answers a connect there, yet a server
# cannot bind it (chaos/run.sh's PostgreSQL once failed to start so, in CI). Bound here to check it, then released.
free_port() {
  local low p
  low=$(cut -f1 /proc/sys/net/ipv4/ip_local_port_range 2>/dev/null || echo 32768)
  while :; do
    p=$((10000 + RANDOM % (low - 10000)))
    [[ $p == "${1:-}" ]] && continue
    python3 -c 'import socket,sys; s=socket.socket(); s.bind(("127.0.0.1",int(sys.argv[1]))); s.close()' "$p" 2>/dev/null \
      && { echo "$p"; return; }
  done
}

# start_postgres PGDATA LOG "EXTRA CONF LINES" AVOID_PORT PG_CTL...: starts the initdb'd cluster in PGDATA on a free port
# (sets PGPORT; its socket in PGDATA's parent), with logical_postgres_conf and the extra lines. PG_CTL... is the command
# that runs pg_ctl with its arguments appended ("start", "stop -m immediate"). Up to three fresh ports, each failure
# printing the server's own log, so a red run says why.
start_postgres() {
  local pgdata=$1 log=$2 extra=$3 avoid=$4 attempt initdb_conf
  shift 4
  initdb_conf="$(dirname "$pgdata")/postgresql.conf.initdb"
  cp "$pgdata/postgresql.conf" "$initdb_conf"
  for attempt in 1 2 3; do
    PGPORT=$(free_port "$avoid")
    cp "$initdb_conf" "$pgdata/postgresql.conf"
    { logical_postgres_conf "$PGPORT" "$(dirname "$pgdata")"; printf '%s\n' "$extra"; } >>"$pgdata/postgresql.conf"
    "$@" start >/dev/null && return 0
    echo "PostgreSQL did not start on port $PGPORT (attempt $attempt); its log:"
    tail -n 20 "$log" 2>/dev/null || true
    "$@" stop -m immediate >/dev/null 2>&1 || true
  done
  return 1
}
