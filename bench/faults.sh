#!/usr/bin/env bash
# Fault harness: runs bench/FaultsBench.java against fresh copies of the built CRM distribution and checks that no
# acknowledged write is lost or stored twice when things break. See bench/README.md ("Faults").
#
#   bash bench/faults.sh [--quick] [--outage S] [--scenarios a,b,c,d] [--keep]
#
# External PostgreSQL (a standalone server from the CRM's own PostgreSQL binaries, bench/lib/pg-server.sh):
#   d  uninstall of the memo plugin while slow requests to it are in flight, with core reads and writes going on
#   a  pg_ctl restart -m fast under writes: recovery without a Karaf restart, /health DOWN then UP
#   c  the database unreachable (SIGSTOP of every PostgreSQL process) for S s under reads and writes: 503 fast,
#      bounded threads, automatic recovery
# Embedded PostgreSQL:
#   b  kill -9 of Karaf under writes, then bin/start again
#
# --quick       short durations and counts (outage 10 s, one cycle each); checks that every scenario ran and printed
#               its figures; fails on a lost or duplicated acknowledged write; does not touch RESULTS.md
# --outage S    how long the database stays unreachable in c (default 60 s; 10 s with --quick)
# --scenarios   a subset, e.g. --scenarios a,c (default all four)
# --keep        keep the temporary copy of the CRM and the database (they are always kept when something failed)
#
# Exits non-zero when an acknowledged write is lost or duplicated, a scenario could not run, the CRM did not recover,
# or a core request failed during the plugin uninstall. Missed timing goals are reported, not failures.
set -euo pipefail

QUICK=0
OUTAGE=""
SCENARIOS="a,b,c,d"
KEEP=0
while [ $# -gt 0 ]; do
  case "$1" in
    --quick) QUICK=1 ;;
    --outage)
      [ $# -ge 2 ] || { echo "--outage needs a number of seconds" >&2; exit 2; }
      OUTAGE="$2"; shift ;;
    --scenarios)
      [ $# -ge 2 ] || { echo "--scenarios needs a list, e.g. a,c" >&2; exit 2; }
      SCENARIOS="$2"; shift ;;
    --keep) KEEP=1 ;;
    -h|--help) sed -n '2,23p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "unknown argument: $1 (see --help)" >&2; exit 2 ;;
  esac
  shift
done
if [ -z "$OUTAGE" ]; then
  if [ "$QUICK" = 1 ]; then OUTAGE=10; else OUTAGE=60; fi
fi
[[ "$OUTAGE" =~ ^[1-9][0-9]{0,3}$ ]] || { echo "--outage must be 1..9999 seconds: $OUTAGE" >&2; exit 2; }
[[ "$SCENARIOS" =~ ^[abcd](,[abcd])*$ ]] || { echo "--scenarios: letters a-d separated by commas: $SCENARIOS" >&2; exit 2; }
has() { [[ ",$SCENARIOS," == *",$1,"* ]]; }

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
ASSEMBLY="$ROOT/karaf-distribution/target/assembly"
ADMIN_PASSWORD="bench-admin-password-1"
M2_REPO="${M2_REPO:-$HOME/.m2/repository}"
PG_SERVER="$ROOT/bench/lib/pg-server.sh"
T_START=$SECONDS

say() { echo "[faults] $*" >&2; }
die() { say "ERROR: $*"; exit 1; }
# shared: our_pids, karaf_pid, alive, stop_crm, free_port, built_stamp
source "$(dirname "${BASH_SOURCE[0]}")/lib/crm-runtime.sh"

command -v java >/dev/null || die "java (JDK 17+) is not on the PATH"
command -v curl >/dev/null || die "curl is needed to wait for /health"
command -v psql >/dev/null || die "psql is not on the PATH; on Debian: apt-get update && apt-get install -y postgresql-client"
command -v unzip >/dev/null || die "unzip is needed to take the PostgreSQL binaries out of the core-db bundle"
if [ "$(id -u)" = 0 ]; then
  command -v setpriv >/dev/null || die "running as root needs setpriv (util-linux) to run PostgreSQL as nobody"
fi
[ -x "$ASSEMBLY/bin/start" ] || die "no distribution at $ASSEMBLY; build it first: mvn -B -ntp package -DskipTests"

VERSION="$(awk '/<artifactId>crm-parent<\/artifactId>/ { p = 1 }
                p && /<version>/ { sub(/.*<version>/, ""); sub(/<\/version>.*/, ""); print; exit }' pom.xml)"
[ -n "$VERSION" ] || die "cannot read the project version from pom.xml"
if has d; then
  PLUGIN_JAR="$M2_REPO/org/groupcrm/crm-itest-memo-plugin/$VERSION/crm-itest-memo-plugin-$VERSION.jar"
  [ -f "$PLUGIN_JAR" ] || die "$PLUGIN_JAR is missing (the memo test plugin, built by the itests/test-plugin module)"
fi

WORK="$(mktemp -d "${TMPDIR:-/tmp}/crm-faults.XXXXXX")"
COPY="$WORK/crm"
STARTED=0
BENCH_PID=""
PGDIR=""
ROWS="$WORK/rows.md"
: >"$ROWS"

now_ms() { echo $(( $(date +%s%N) / 1000000 )); }

cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  if alive "${BENCH_PID:-}"; then
    say "stopping the fault driver ($BENCH_PID)"
    kill -TERM "$BENCH_PID" 2>/dev/null || true
    wait "$BENCH_PID" 2>/dev/null || true
  fi
  # thaw first: a frozen database would keep the CRM's stop waiting
  if [ -n "$PGDIR" ]; then bash "$PG_SERVER" "$PGDIR" thaw 2>/dev/null || true; fi
  stop_crm || true
  if [ -n "$PGDIR" ]; then
    bash "$PG_SERVER" "$PGDIR" kill 2>/dev/null || true
    local left
    left="$(bash "$PG_SERVER" "$PGDIR" pids 2>/dev/null || true)"
    [ -z "$left" ] || say "PostgreSQL processes still there: $left"
  fi
  if [ "$rc" = 0 ] && [ "$KEEP" = 0 ]; then
    rm -rf "$WORK"
    [ -z "$PGDIR" ] || rm -rf "$PGDIR"
  else
    say "kept $WORK (CRM logs: $WORK/karaf-*.log, driver output: $WORK/faults-*.out)${PGDIR:+ and $PGDIR (PostgreSQL log: $PGDIR/log/postgresql.log)}"
  fi
  say "total $((SECONDS - T_START)) s, exit $rc"
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

for attempt in 1 2 3; do
  say "copying $ASSEMBLY to $COPY"
  BUILT_BEFORE="$(built_stamp)"
  rm -rf "$COPY"
  mkdir -p "$COPY"
  copied=1
  tar -C "$ASSEMBLY" --exclude=./data -cf - . | tar -C "$COPY" -xf - || copied=0
  [ "$copied" = 1 ] && [ "$(built_stamp)" = "$BUILT_BEFORE" ] && break
  [ "$attempt" = 3 ] && die "the distribution kept changing while it was copied (a build is running?)"
  say "the distribution changed while it was copied (a build is running?); copying again in 10 s"
  sleep 10
done
mkdir -p "$COPY/data"
# the scenarios load one subsidiary with 12-17 client threads: on a fast machine that is more than the product's
# default per-subsidiary rate limit (1000 requests/s) lets through, and its 429s would count as failed requests. The
# limit is not what this measures (its own tests cover it), so the copy runs without it.
printf 'perSubsidiaryPerSecond = 0\n' >"$COPY/etc/org.groupcrm.requests.cfg"
BUILT="$(date -u -d "@${BUILT_BEFORE%.*}" '+%Y-%m-%d %H:%M UTC' 2>/dev/null || echo unknown)"

FEATURES="$WORK/memo-features.xml"
cat >"$FEATURES" <<EOF
<?xml version="1.0" encoding="UTF-8"?>
<features name="crm-faults-memo" xmlns="http://karaf.apache.org/xmlns/features/v1.6.0">
  <feature name="crm-plugin-memo" version="1.0.0" description="Memos (test plugin)">
    <feature>crm-core</feature>
    <bundle>mvn:org.groupcrm/crm-itest-memo-plugin/$VERSION</bundle>
  </feature>
</features>
EOF

java bench/FaultsBench.java --noop 2>"$WORK/noop.err" || die "java bench/FaultsBench.java does not compile: $(cat "$WORK/noop.err")"

HTTP_PORT="$(free_port)" || die "no free port"
SSH_PORT="$(free_port "$HTTP_PORT")" || die "no free port"

# starts the copy on the ports above with the extra environment given as NAME=value arguments; waits for /health
start_crm() {
  local t0 code=000 pid
  t0="$(now_ms)"
  STARTED=1
  env CRM_HTTP_PORT="$HTTP_PORT" CRM_SSH_PORT="$SSH_PORT" CRM_ADMIN_PASSWORD="$ADMIN_PASSWORD" "$@" \
    "$COPY/bin/start" >>"$WORK/start-stop.log" 2>&1
  while [ $(( $(now_ms) - t0 )) -lt 180000 ]; do
    code="$(curl -s -o /dev/null -w '%{http_code}' --max-time 5 "http://127.0.0.1:$HTTP_PORT/api/v1/health" || true)"
    [ "$code" = 200 ] && break
    pid="$(karaf_pid)"
    if [ -n "$pid" ] && ! alive "$pid"; then
      die "Karaf ($pid) died during start; see $COPY/data/log/karaf.log"
    fi
    sleep 0.2
  done
  [ "$code" = 200 ] || die "/health did not answer 200 within 180 s (last $code); see $COPY/data/log/karaf.log"
  say "health 200 after $(( $(now_ms) - t0 )) ms"
}

# runs the driver in the background (a signal to this script is handled at once) and keeps the CRM's log
DRIVER_RC=0
drive() {
  local phase="$1"; shift
  local args=(--phase "$phase" --port "$HTTP_PORT" --ssh-port "$SSH_PORT" --admin-password "$ADMIN_PASSWORD"
              --copy "$COPY" --work "$WORK" --outage-s "$OUTAGE" --scenarios "$SCENARIOS" --rows-out "$ROWS" "$@")
  [ "$QUICK" = 1 ] && args+=(--quick)
  local rc=0
  java bench/FaultsBench.java "${args[@]}" > >(tee "$WORK/faults-$phase.out") 2>&1 &
  BENCH_PID=$!
  wait "$BENCH_PID" || rc=$?
  BENCH_PID=""
  [ "$rc" = 0 ] || DRIVER_RC="$rc"
  say "$phase phase: driver exit $rc"
}

# after a phase: what the CRM logged at WARN/ERROR (by kind), and its log kept aside; a clean data folder next
end_phase() {
  local phase="$1"
  stop_crm
  cp "$COPY/data/log/karaf.log" "$WORK/karaf-$phase.log" 2>/dev/null || true
  local warns
  warns="$(grep -cE '\| (WARN|ERROR) ' "$WORK/karaf-$phase.log" 2>/dev/null || true)"
  say "$phase phase: karaf.log has ${warns:-0} WARN/ERROR lines; most frequent:"
  grep -E '\| (WARN|ERROR) ' "$WORK/karaf-$phase.log" 2>/dev/null | cut -d'|' -f2,4,6 | cut -c1-200 \
    | sed -E 's/[0-9]+/N/g' | sort | uniq -c | sort -rn | head -n 6 >&2 || true
  rm -rf "$COPY/data" "$COPY/karaf.pid"
  mkdir -p "$COPY/data"
}

LOAD_START="$(cut -d' ' -f1-3 /proc/loadavg)"
T_EXTERNAL=0
T_EMBEDDED=0
if has a || has c || has d; then
  t=$SECONDS
  PGDIR="$(mktemp -d "${TMPDIR:-/tmp}/crm-faults-pg.XXXXXX")"
  PG_PORT="$(free_port "$HTTP_PORT")" || die "no free port"
  [ "$PG_PORT" != "$SSH_PORT" ] || PG_PORT="$(free_port "$SSH_PORT")"
  say "external PostgreSQL: initdb in $PGDIR, port $PG_PORT"
  bash "$PG_SERVER" "$PGDIR" init "$ASSEMBLY" "$PG_PORT" || die "the external PostgreSQL did not start"
  say "starting the CRM on the external PostgreSQL: http $HTTP_PORT, ssh $SSH_PORT"
  start_crm CRM_DB_URL="jdbc:postgresql://127.0.0.1:$PG_PORT/crm" CRM_DB_USER=crm \
            CRM_DB_PASSWORD="$(cat "$PGDIR/crm.password")"
  drive external --pg-server "$PG_SERVER" --pg-dir "$PGDIR" --features-uri "file:$FEATURES"
  end_phase external
  bash "$PG_SERVER" "$PGDIR" kill || true
  T_EXTERNAL=$((SECONDS - t))
fi
if has b; then
  t=$SECONDS
  say "starting the CRM on its embedded PostgreSQL: http $HTTP_PORT, ssh $SSH_PORT"
  start_crm
  drive embedded
  end_phase embedded
  T_EMBEDDED=$((SECONDS - t))
fi
LOAD_END="$(cut -d' ' -f1-3 /proc/loadavg)"

# every scenario asked for must have printed its figures and its write check
for s in a b c d; do
  has "$s" || continue
  grep -q "^| $s | writes " "$ROWS" || { say "scenario $s printed no write check"; DRIVER_RC=1; }
done

TABLE="$WORK/table.md"
{
  echo "| scenario | figure | value | goal | met |"
  echo "|---|---|---|---|---|"
  grep '^| ' "$ROWS" || true
  echo
  grep '^- ' "$ROWS" || true
} >"$TABLE"
echo
cat "$TABLE"

if [ "$QUICK" = 1 ]; then
  say "quick mode: RESULTS.md left alone"
else
  RESULTS="$ROOT/bench/RESULTS.md"
  REV="$(git rev-parse --short HEAD 2>/dev/null || echo unknown)"
  if [ -n "$(git status --porcelain 2>/dev/null)" ]; then REV="$REV-dirty"; fi
  CPU="$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')"
  MEM="$(awk '/MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo)"
  JAVA="$(java -version 2>&1 | head -n 1)"
  {
    echo
    echo "## $(date -u '+%Y-%m-%d %H:%M UTC') — faults — $REV"
    echo
    echo "Machine: $(nproc) CPUs, ${CPU:-unknown CPU}, $MEM RAM; $JAVA. Load average (1/5/15 min) $LOAD_START before,"
    echo "$LOAD_END after. Distribution built $BUILT. Run: \`bash bench/faults.sh$( [ "$OUTAGE" != 60 ] && echo " --outage $OUTAGE")$(
      [ "$SCENARIOS" != a,b,c,d ] && echo " --scenarios $SCENARIOS")\`; external-PostgreSQL phase (d, a, c) ${T_EXTERNAL} s,"
    echo "embedded phase (b) ${T_EMBEDDED} s, total $((SECONDS - T_START)) s; exit $DRIVER_RC."
    echo
    cat "$TABLE"
  } >>"$RESULTS"
  say "appended to $RESULTS"
fi
exit "$DRIVER_RC"
