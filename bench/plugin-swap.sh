#!/usr/bin/env bash
# Plugin hot-swap benchmark: starts a fresh copy of the built CRM distribution on free ports, runs
# bench/PluginSwapBench.java against it (baseline, S1 state change, S2 install -> first 200, S3 cycles under load),
# stops it, and (full mode only) appends the table to bench/RESULTS.md. See bench/README.md.
#
#   bash bench/plugin-swap.sh [--quick] [--cycles N] [--keep]
#
# --quick     few iterations (3 state changes, 2 S2 installs, 2 cycles); checks that every figure is produced and
#             that the core failed no request; does not touch RESULTS.md
# --cycles N  uninstall/install cycles in S3 (default 20; 2 with --quick)
# --keep      keep the temporary copy of the CRM (it is always kept when something failed)
set -euo pipefail

QUICK=0
CYCLES=""
KEEP=0
KEEP_LOGS=0
while [ $# -gt 0 ]; do
  case "$1" in
    --quick) QUICK=1 ;;
    --cycles)
      [ $# -ge 2 ] || { echo "--cycles needs a number" >&2; exit 2; }
      CYCLES="$2"; shift ;;
    --keep) KEEP=1 ;;
    -h|--help) sed -n '2,12p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "unknown argument: $1 (see --help)" >&2; exit 2 ;;
  esac
  shift
done
if [ -z "$CYCLES" ]; then
  if [ "$QUICK" = 1 ]; then CYCLES=2; else CYCLES=20; fi
fi
[[ "$CYCLES" =~ ^[1-9][0-9]*$ ]] || { echo "--cycles must be a positive number: $CYCLES" >&2; exit 2; }

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
ASSEMBLY="$ROOT/karaf-distribution/target/assembly"
ADMIN_PASSWORD="bench-admin-password-1"
M2_REPO="${M2_REPO:-$HOME/.m2/repository}"
T_START=$SECONDS

say() { echo "[plugin-swap] $*" >&2; }
die() { say "ERROR: $*"; exit 1; }
# shared: our_pids, karaf_pid, alive, stop_crm, free_port, built_stamp
source "$(dirname "${BASH_SOURCE[0]}")/lib/crm-runtime.sh"

command -v java >/dev/null || die "java (JDK 17+) is not on the PATH"
command -v curl >/dev/null || die "curl is needed to wait for /health"
[ -x "$ASSEMBLY/bin/start" ] || die "no distribution at $ASSEMBLY; build it first: mvn -B -ntp install -DskipTests"

# the project version, from the root pom (the first <version> after the parent's artifactId)
VERSION="$(awk '/<artifactId>crm-parent<\/artifactId>/ { p = 1 }
                p && /<version>/ { sub(/.*<version>/, ""); sub(/<\/version>.*/, ""); print; exit }' pom.xml)"
[ -n "$VERSION" ] || die "cannot read the project version from pom.xml"
PLUGIN_JAR="$M2_REPO/org/groupcrm/crm-itest-memo-plugin/$VERSION/crm-itest-memo-plugin-$VERSION.jar"
[ -f "$PLUGIN_JAR" ] || die "$PLUGIN_JAR is missing; build first: mvn -B -ntp install -DskipTests"

WORK="$(mktemp -d "${TMPDIR:-/tmp}/crm-plugin-swap.XXXXXX")"
COPY="$WORK/crm"
STARTED=0
BENCH_PID=""





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
    say "a goal was missed; kept the logs in $WORK (CRM log: $COPY/data/log/karaf.log, benchmark output: $WORK/bench.out)"
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
BUILT="$(date -u -d "@${BUILT_BEFORE%.*}" '+%Y-%m-%d %H:%M UTC' 2>/dev/null || echo unknown)"

FEATURES="$WORK/memo-features.xml"
cat >"$FEATURES" <<EOF
<?xml version="1.0" encoding="UTF-8"?>
<features name="crm-bench-memo" xmlns="http://karaf.apache.org/xmlns/features/v1.6.0">
  <feature name="crm-plugin-memo" version="1.0.0" description="Memos (test plugin)">
    <feature>crm-core</feature>
    <bundle>mvn:org.groupcrm/crm-itest-memo-plugin/$VERSION</bundle>
  </feature>
</features>
EOF

LOAD_START="$(cut -d' ' -f1 /proc/loadavg)"
HTTP_PORT="$(free_port)" || die "no free port"
SSH_PORT="$(free_port "$HTTP_PORT")" || die "no free port"
say "starting the CRM: http $HTTP_PORT, ssh $SSH_PORT"
T_BOOT=$SECONDS
STARTED=1
CRM_HTTP_PORT="$HTTP_PORT" CRM_SSH_PORT="$SSH_PORT" CRM_ADMIN_PASSWORD="$ADMIN_PASSWORD" \
  "$COPY/bin/start" >>"$WORK/start-stop.log" 2>&1

HEALTH="http://127.0.0.1:$HTTP_PORT/api/v1/health"
code=000
while [ $((SECONDS - T_BOOT)) -lt 180 ]; do
  code="$(curl -s -o /dev/null -w '%{http_code}' --max-time 5 "$HEALTH" || true)"
  [ "$code" = 200 ] && break
  pid="$(karaf_pid)"
  if [ -n "$pid" ] && ! alive "$pid"; then
    die "Karaf ($pid) died during start; see $COPY/data/log/karaf.log"
  fi
  sleep 0.5
done
[ "$code" = 200 ] || die "$HEALTH did not answer 200 within 180 s (last $code); see $COPY/data/log/karaf.log"
BOOT_S=$((SECONDS - T_BOOT))
say "health 200 after ${BOOT_S} s"

ARGS=(--port "$HTTP_PORT" --admin-password "$ADMIN_PASSWORD" --features-uri "file:$FEATURES" --cycles "$CYCLES"
      --table-out "$WORK/table.md" --karaf-log "$COPY/data/log/karaf.log")
[ "$QUICK" = 1 ] && ARGS+=(--quick)
T_BENCH=$SECONDS
BENCH_RC=0
# in the background, so that a signal to this script is handled at once (the trap stops the benchmark and the CRM)
java bench/PluginSwapBench.java "${ARGS[@]}" > >(tee "$WORK/bench.out") 2>&1 &
BENCH_PID=$!
wait "$BENCH_PID" || BENCH_RC=$?
BENCH_PID=""
BENCH_S=$((SECONDS - T_BENCH))
LOAD_END="$(cut -d' ' -f1 /proc/loadavg)"
stop_crm

if [ ! -s "$WORK/table.md" ]; then
  die "the benchmark produced no table (exit $BENCH_RC)"
fi
if grep -qF '**no**' "$WORK/table.md"; then
  KEEP_LOGS=1
fi
if [ "$QUICK" = 1 ]; then
  say "quick mode: RESULTS.md left alone"
else
  RESULTS="$ROOT/bench/RESULTS.md"
  if [ ! -f "$RESULTS" ]; then
    cat >"$RESULTS" <<'EOF'
# Plugin hot-swap benchmark results

Appended by `bash bench/plugin-swap.sh` (full runs only). See `README.md` for what the figures mean; compare runs
by the ratios to the same run's baseline, not by absolute times (the machines are shared).
EOF
  fi
  REV="$(git rev-parse --short HEAD 2>/dev/null || echo unknown)"
  if [ -n "$(git status --porcelain 2>/dev/null)" ]; then REV="$REV-dirty"; fi
  CPU="$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')"
  MEM="$(awk '/MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo)"
  JAVA="$(java -version 2>&1 | head -n 1)"
  {
    echo
    echo "## $(date -u '+%Y-%m-%d %H:%M UTC') — $REV"
    echo
    echo "Machine: $(nproc) CPUs, ${CPU:-unknown CPU}, $MEM RAM; $JAVA. Load average (1 min) $LOAD_START before the"
    echo "start, $LOAD_END after the benchmark. Distribution built $BUILT."
    echo "Run: \`bash bench/plugin-swap.sh --cycles $CYCLES\`; health 200 after ${BOOT_S} s, benchmark ${BENCH_S} s$(
      [ "$KEEP_LOGS" = 1 ] && echo "; CRM log kept at \`$COPY/data/log/karaf.log\`")."
    echo
    cat "$WORK/table.md"
  } >>"$RESULTS"
  say "appended to $RESULTS"
fi
exit "$BENCH_RC"
