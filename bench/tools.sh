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
