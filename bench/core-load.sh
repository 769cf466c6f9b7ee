#!/usr/bin/env bash
# Core load benchmark: cold start (P7), idle memory, seed rate, P1 (GET /customers/{id}), P2 (POST /customers) and P3
# (bulk import through POST /customers/import) of a fresh copy of the built CRM distribution, each against a baseline
# measured in the same run (pgbench and psql's COPY on the CRM's own embedded PostgreSQL; for the start, a JVM start +
# javac), and P6 (P1 with every plugin installed and ON against core only, in alternating rounds). Runs
# bench/CoreLoadBench.java against the copy, stops it, and (full mode only) appends the table to bench/RESULTS.md.
# See bench/README.md.
#
#   bash bench/core-load.sh [--quick] [--customers N] [--subsidiaries M] [--import-rows N] [--keep]
#
# --quick           2 subsidiaries x 50 customers, 2 s warm-up + 5 s measured, pgbench -T 5, 5 s idle, an import of
#                   3,000 rows in batches of 1,000, P6 in 4 rounds of 1 s + 3 s; checks that every figure is produced
#                   (exit non-zero if not, or if a request failed); does not touch RESULTS.md
# --customers N     customers per subsidiary (default 10,000: 200,000 in all; 50 with --quick)
# --subsidiaries M  subsidiaries, each with its rep rep-<code> (default 20; 2 with --quick)
# --import-rows N   customers P3 imports, in batches of 10,000 (default 100,000; 3,000 in batches of 1,000 with --quick)
# --keep            keep the temporary copy of the CRM (it is always kept when something failed)
set -euo pipefail

QUICK=0
CUSTOMERS=""
IMPORT_ROWS=""
SUBSIDIARIES=""
KEEP=0
KEEP_LOGS=0
while [ $# -gt 0 ]; do
  case "$1" in
    --quick) QUICK=1 ;;
    --customers)
      [ $# -ge 2 ] || { echo "--customers needs a number" >&2; exit 2; }
      CUSTOMERS="$2"; shift ;;
    --subsidiaries)
      [ $# -ge 2 ] || { echo "--subsidiaries needs a number" >&2; exit 2; }
      SUBSIDIARIES="$2"; shift ;;
    --import-rows)
      [ $# -ge 2 ] || { echo "--import-rows needs a number" >&2; exit 2; }
      IMPORT_ROWS="$2"; shift ;;
    --keep) KEEP=1 ;;
    -h|--help) sed -n '2,15p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "unknown argument: $1 (see --help)" >&2; exit 2 ;;
  esac
  shift
done
if [ -z "$CUSTOMERS" ]; then
  if [ "$QUICK" = 1 ]; then CUSTOMERS=50; else CUSTOMERS=10000; fi
fi
if [ -z "$SUBSIDIARIES" ]; then
  if [ "$QUICK" = 1 ]; then SUBSIDIARIES=2; else SUBSIDIARIES=20; fi
fi
[[ "$CUSTOMERS" =~ ^[1-9][0-9]*$ ]] || { echo "--customers must be a positive number: $CUSTOMERS" >&2; exit 2; }
[[ "$SUBSIDIARIES" =~ ^[1-9][0-9]{0,2}$ ]] || { echo "--subsidiaries must be 1..999: $SUBSIDIARIES" >&2; exit 2; }
if [ -z "$IMPORT_ROWS" ]; then
  if [ "$QUICK" = 1 ]; then IMPORT_ROWS=3000; else IMPORT_ROWS=100000; fi
fi
[[ "$IMPORT_ROWS" =~ ^[1-9][0-9]*$ ]] || { echo "--import-rows must be a positive number: $IMPORT_ROWS" >&2; exit 2; }

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
ASSEMBLY="$ROOT/karaf-distribution/target/assembly"
ADMIN_PASSWORD="bench-admin-password-1"
T_START=$SECONDS

say() { echo "[core-load] $*" >&2; }
die() { say "ERROR: $*"; exit 1; }
# shared: our_pids, karaf_pid, alive, stop_crm, free_port, built_stamp
source "$(dirname "${BASH_SOURCE[0]}")/lib/crm-runtime.sh"

command -v java >/dev/null || die "java (JDK 17+) is not on the PATH"
command -v curl >/dev/null || die "curl is needed to wait for /health"
for tool in pgbench psql; do
  command -v "$tool" >/dev/null \
    || die "$tool is not on the PATH; on Debian: apt-get update && apt-get install -y postgresql-client"
done
[ -x "$ASSEMBLY/bin/start" ] || die "no distribution at $ASSEMBLY; build it first: mvn -B -ntp install -DskipTests"

WORK="$(mktemp -d "${TMPDIR:-/tmp}/crm-core-load.XXXXXX")"
COPY="$WORK/crm"
STARTED=0
BENCH_PID=""

# Every process whose command line names our unique copy (Karaf and the embedded postmaster), one id at a time.



now_ms() { echo $(( $(date +%s%N) / 1000000 )); }


cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  if alive "${BENCH_PID:-}"; then
    say "stopping the benchmark ($BENCH_PID)"
    kill -TERM "$BENCH_PID" 2>/dev/null || true
    wait "$BENCH_PID" 2>/dev/null || true
  fi
  stop_crm || true
  if [ "$rc" = 0 ] && [ "$KEEP" = 0 ] && [ "$KEEP_LOGS" = 0 ]; then
    rm -rf "$WORK"
  elif [ "$rc" = 0 ] && [ "$KEEP" = 0 ]; then
    # a goal was missed: keep the logs (small), drop the CRM and its database
    find "$COPY" -mindepth 1 -maxdepth 1 ! -name data -exec rm -rf {} +
    find "$COPY/data" -mindepth 1 -maxdepth 1 ! -name log -exec rm -rf {} +
    say "a goal was missed; kept the logs in $WORK (CRM log: $COPY/data/log/karaf.log, benchmark output: $WORK/bench.out,"
    say "top snapshots: $WORK/top-*.txt, pgbench output: $WORK/pgbench-*-output.txt)"
  else
    say "kept $WORK (CRM log: $COPY/data/log/karaf.log, benchmark output: $WORK/bench.out)"
  fi
  say "total $((SECONDS - T_START)) s, exit $rc"
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# a port nobody listens on, below the ephemeral range so no outgoing connection holds it

# when the CRM's own bundles in the distribution were built (newest of them)
# a fresh copy: everything but the data directory (a new database, a new admin); again if a build changed it meanwhile
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
# P1 and P6 load up to 16 clients on few subsidiaries: at the goal's rate that is more than the product's default
# per-subsidiary rate limit (1000 requests/s) lets through. The limit is not what this measures (its own tests cover
# it), so the copy runs without it.
printf 'perSubsidiaryPerSecond = 0\n' >"$COPY/etc/org.groupcrm.requests.cfg"
BUILT="$(date -u -d "@${BUILT_BEFORE%.*}" '+%Y-%m-%d %H:%M UTC' 2>/dev/null || echo unknown)"

# Cold-start reference, the same run and the same kind of work (a JVM starting and loading classes): the single-file
# launch of the benchmark, i.e. JVM start + in-memory javac of CoreLoadBench.java + exit; the median of three.
say "timing the cold-start reference (java bench/CoreLoadBench.java --noop, 3 times)"
REFS=()
for _ in 1 2 3; do
  t0="$(now_ms)"
  java bench/CoreLoadBench.java --noop >/dev/null 2>"$WORK/noop.err" || die "java bench/CoreLoadBench.java does not compile: $(cat "$WORK/noop.err")"
  REFS+=($(( $(now_ms) - t0 )))
done
REFERENCE_MS="$(printf '%s\n' "${REFS[@]}" | sort -n | sed -n 2p)"
say "reference ${REFS[*]} ms, median $REFERENCE_MS ms"

LOAD_START="$(cut -d' ' -f1-3 /proc/loadavg)"
HTTP_PORT="$(free_port)" || die "no free port"
SSH_PORT="$(free_port "$HTTP_PORT")" || die "no free port"
say "starting the CRM: http $HTTP_PORT, ssh $SSH_PORT"
STARTED=1
START_MS="$(now_ms)"
CRM_HTTP_PORT="$HTTP_PORT" CRM_SSH_PORT="$SSH_PORT" CRM_ADMIN_PASSWORD="$ADMIN_PASSWORD" \
  "$COPY/bin/start" >>"$WORK/start-stop.log" 2>&1

# poll every 0.2 s (the figure is at most that, plus one curl, late); a 180 s limit
HEALTH="http://127.0.0.1:$HTTP_PORT/api/v1/health"
code=000
while [ $(( $(now_ms) - START_MS )) -lt 180000 ]; do
  code="$(curl -s -o /dev/null -w '%{http_code}' --max-time 5 "$HEALTH" || true)"
  [ "$code" = 200 ] && break
  pid="$(karaf_pid)"
  if [ -n "$pid" ] && ! alive "$pid"; then
    die "Karaf ($pid) died during start; see $COPY/data/log/karaf.log"
  fi
  sleep 0.2
done
HEALTH_MS="$(now_ms)"
[ "$code" = 200 ] || die "$HEALTH did not answer 200 within 180 s (last $code); see $COPY/data/log/karaf.log"
COLD_MS=$((HEALTH_MS - START_MS))
KPID="$(karaf_pid)"
alive "$KPID" || die "no Karaf JVM (karaf.pid: '$KPID')"
# its CPU time so far: utime + stime + reaped children (initdb, pg_ctl); fields 14-17 of /proc/<pid>/stat
KARAF_CPU_S="$(sed 's/.*) //' "/proc/$KPID/stat" | awk -v hz="$(getconf CLK_TCK)" '{ printf "%.2f", ($12 + $13 + $14 + $15) / hz }')"
say "health 200 after ${COLD_MS} ms; Karaf JVM $KPID used ${KARAF_CPU_S} CPU-s"

ARGS=(--port "$HTTP_PORT" --admin-password "$ADMIN_PASSWORD" --copy "$COPY" --karaf-pid "$KPID" --work "$WORK"
      --cold-start-ms "$COLD_MS" --start-epoch-ms "$START_MS" --karaf-cpu-at-health-s "$KARAF_CPU_S"
      --reference-ms "$REFERENCE_MS" --subsidiaries "$SUBSIDIARIES" --customers "$CUSTOMERS"
      --import-rows "$IMPORT_ROWS" --table-out "$WORK/table.md")
[ "$QUICK" = 1 ] && ARGS+=(--quick)
T_BENCH=$SECONDS
BENCH_RC=0
# in the background, so that a signal to this script is handled at once (the trap stops the benchmark and the CRM)
java bench/CoreLoadBench.java "${ARGS[@]}" > >(tee "$WORK/bench.out") 2>&1 &
BENCH_PID=$!
wait "$BENCH_PID" || BENCH_RC=$?
BENCH_PID=""
BENCH_S=$((SECONDS - T_BENCH))
LOAD_END="$(cut -d' ' -f1-3 /proc/loadavg)"
# what the CRM logged at WARN or ERROR after the start (the start's own health-poll warnings left out)
grep -E '\| (WARN|ERROR) ' "$COPY/data/log/karaf.log" 2>/dev/null | grep -vF "Can't find the request for" \
  >"$WORK/karaf-warnings.txt" || true
stop_crm

if [ ! -s "$WORK/table.md" ]; then
  die "the benchmark produced no table (exit $BENCH_RC)"
fi
WARNINGS="$(wc -l <"$WORK/karaf-warnings.txt")"
if [ "$WARNINGS" -gt 0 ]; then
  say "karaf.log has $WARNINGS WARN/ERROR lines besides the start's health polls (see $WORK/karaf-warnings.txt):"
  cut -c1-300 "$WORK/karaf-warnings.txt" | sort | uniq -c | sort -rn | head -n 5 >&2
  KEEP_LOGS=1
fi
if grep -qF '**no**' "$WORK/table.md"; then
  KEEP_LOGS=1
fi
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
    echo "## $(date -u '+%Y-%m-%d %H:%M UTC') — core load — $REV"
    echo
    echo "Machine: $(nproc) CPUs, ${CPU:-unknown CPU}, $MEM RAM; $JAVA. Load average (1/5/15 min) $LOAD_START before"
    echo "the start, $LOAD_END after the benchmark. Distribution built $BUILT."
    echo "Run: \`bash bench/core-load.sh$( [ "$CUSTOMERS" != 10000 ] && echo " --customers $CUSTOMERS")$(
      [ "$SUBSIDIARIES" != 20 ] && echo " --subsidiaries $SUBSIDIARIES")$(
      [ "$IMPORT_ROWS" != 100000 ] && echo " --import-rows $IMPORT_ROWS")\`: $SUBSIDIARIES subsidiaries × $CUSTOMERS customers,"
    echo "10 s warm-up (P1 65 s) + 30 s measured, 30 s idle before the memory reading, an import of $IMPORT_ROWS customers in batches"
    echo "of 10,000, P6 in 12 rounds of 3 s + 10 s; benchmark ${BENCH_S} s, total $((SECONDS - T_START)) s."
    echo "karaf.log WARN/ERROR lines other than CXF's \"Can't find the request\" of the start's health polls: $WARNINGS$(
      [ "$KEEP_LOGS" = 1 ] && echo "; logs kept in \`$WORK\`")."
    echo
    cat "$WORK/table.md"
  } >>"$RESULTS"
  say "appended to $RESULTS"
fi
exit "$BENCH_RC"
