#!/usr/bin/env bash
# A standalone PostgreSQL for the benches' external-database mode, built from the PostgreSQL binaries the CRM ships
# in its core-db bundle (the same version as the embedded one), in a folder of its own, on 127.0.0.1 only.
#
#   bash bench/lib/pg-server.sh DIR init ASSEMBLY PORT   extract the binaries, initdb, create user and database crm
#   bash bench/lib/pg-server.sh DIR start|stop|restart   pg_ctl start / stop -m fast / restart -m fast (waits)
#   bash bench/lib/pg-server.sh DIR freeze|thaw          SIGSTOP / SIGCONT of the postmaster and all its processes
#   bash bench/lib/pg-server.sh DIR pids                 the server's processes (by executable), one a line
#   bash bench/lib/pg-server.sh DIR kill                 thaw, stop -m fast, then SIGKILL whatever is left
#
# DIR holds bin/ lib/ share/ (the binaries), data/ (PGDATA), log/postgresql.log, port, and two password files:
# superuser.password (user postgres) and crm.password (user crm, owner of database crm). Run as root, the server
# runs as nobody (PostgreSQL refuses root) and DIR is handed to nobody. Settings as in the CRM's embedded server:
# fsync, synchronous_commit and full_page_writes on, max_connections 50, no Unix socket, scram-sha-256 over TCP.
set -euo pipefail

DIR="${1:?usage: pg-server.sh DIR init|start|stop|restart|freeze|thaw|pids|kill}"
CMD="${2:?usage: pg-server.sh DIR init|start|stop|restart|freeze|thaw|pids|kill}"
DIR="$(cd "$DIR" && pwd)"
DATA="$DIR/data"
LOG="$DIR/log/postgresql.log"

as_server() {
  if [ "$(id -u)" = 0 ]; then
    setpriv --reuid=nobody --regid="$(id -gn nobody 2>/dev/null || echo nogroup)" --clear-groups -- "$@"
  else
    "$@"
  fi
}

# every process whose executable is this folder's postgres (backends rename themselves; their exe stays); one find,
# no process per entry: freeze must be quick on a loaded machine
pids() {
  find /proc -mindepth 2 -maxdepth 2 -path '/proc/[0-9]*/exe' -lname "$DIR/bin/postgres" 2>/dev/null \
    | cut -d/ -f3 || true
}

postmaster() {
  [ -f "$DATA/postmaster.pid" ] && head -n 1 "$DATA/postmaster.pid" 2>/dev/null || true
}

case "$CMD" in
  init)
    ASSEMBLY="${3:?init needs the distribution folder}"
    PORT="${4:?init needs a port}"
    JAR="$(find "$ASSEMBLY/system/org/groupcrm/crm-core-db" -name 'crm-core-db-*.jar' | sort | tail -n 1)"
    [ -n "$JAR" ] || { echo "no crm-core-db bundle under $ASSEMBLY/system" >&2; exit 1; }
    command -v unzip >/dev/null || { echo "unzip is needed to read $JAR" >&2; exit 1; }
    unzip -q -p "$JAR" postgres-linux-x86_64.txz | tar -C "$DIR" -xJf -
    [ -x "$DIR/bin/postgres" ] || { echo "$JAR holds no PostgreSQL binaries for linux-x86_64" >&2; exit 1; }
    mkdir -p "$DIR/log"
    head -c 18 /dev/urandom | base64 | tr -d '/+=' >"$DIR/superuser.password"
    head -c 18 /dev/urandom | base64 | tr -d '/+=' >"$DIR/crm.password"
    echo "$PORT" >"$DIR/port"
    chmod 600 "$DIR"/*.password
    if [ "$(id -u)" = 0 ]; then
      chmod 755 "$DIR"
      chown -R nobody "$DIR"
    fi
    as_server "$DIR/bin/initdb" -D "$DATA" -U postgres --pwfile="$DIR/superuser.password" -A scram-sha-256 \
      -E UTF8 --locale=C >"$DIR/log/initdb.log" 2>&1 || { cat "$DIR/log/initdb.log" >&2; exit 1; }
    cat >>"$DATA/postgresql.conf" <<EOF

# bench/lib/pg-server.sh
port = $PORT
listen_addresses = '127.0.0.1'
unix_socket_directories = ''
max_connections = 50
fsync = on
synchronous_commit = on
full_page_writes = on
log_line_prefix = '%m [%p] '
EOF
    as_server "$DIR/bin/pg_ctl" -D "$DATA" -l "$LOG" -w -t 60 start >/dev/null
    PGPASSWORD="$(cat "$DIR/superuser.password")" psql -h 127.0.0.1 -p "$PORT" -U postgres -d postgres -X -q \
      -v ON_ERROR_STOP=1 -v pw="$(cat "$DIR/crm.password")" >/dev/null <<'EOF'
CREATE USER crm PASSWORD :'pw';
CREATE DATABASE crm OWNER crm;
EOF
    ;;
  start)
    as_server "$DIR/bin/pg_ctl" -D "$DATA" -l "$LOG" -w -t 60 start >/dev/null
    ;;
  restart)
    # -l again: without it the restarted server would write its log to our stdout
    as_server "$DIR/bin/pg_ctl" -D "$DATA" -l "$LOG" -w -t 60 -m fast restart >/dev/null
    ;;
  stop)
    as_server "$DIR/bin/pg_ctl" -D "$DATA" -w -t 60 -m fast stop >/dev/null
    ;;
  freeze)
    pm="$(postmaster)"
    [ -n "$pm" ] && kill -0 "$pm" 2>/dev/null || { echo "no running postmaster in $DATA" >&2; exit 1; }
    # the postmaster first, so it forks no new process meanwhile; then everything else, twice to catch late forks
    kill -STOP "$pm"
    for _ in 1 2; do
      # shellcheck disable=SC2046
      kill -STOP $(pids) 2>/dev/null || true
    done
    ;;
  thaw)
    # shellcheck disable=SC2046
    kill -CONT $(pids) 2>/dev/null || true
    ;;
  pids)
    pids
    ;;
  kill)
    for pid in $(pids); do kill -CONT "$pid" 2>/dev/null || true; done
    if [ -n "$(pids)" ]; then
      timeout 30 bash "$0" "$DIR" stop 2>/dev/null || true
    fi
    for pid in $(pids); do kill -KILL "$pid" 2>/dev/null || true; done
    ;;
  *)
    echo "unknown command $CMD" >&2
    exit 2
    ;;
esac
