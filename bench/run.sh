#!/usr/bin/env bash
# All benchmarks in one command, against the built distribution (karaf-distribution/target/assembly):
#
#   bash bench/run.sh [--quick] [--funnel | --no-funnel] [--keep-logs]
#
#   1. bench/core-load.sh     P7 cold start and idle memory, seed, P1 GET, P2 POST (against pgbench), P6 all plugins
#                             vs core only
#   2. bench/plugin-swap.sh   S1 module state change, S2 plugin install, S3 uninstall/install cycles under load
#   3. bench/faults.sh        a PostgreSQL restart, b kill -9 of Karaf, c database unreachable, d plugin uninstall
#                             with requests in flight: no acknowledged write lost or duplicated
#   4. bench/pipeline-funnel.sh  the pipeline funnel on 1,000,000 opportunities (about 6 minutes; full mode only)
#
# --quick      every part in its --quick mode (a check for CI, a few minutes; the figures do not count); RESULTS.md is
#              left alone, the funnel is skipped
# (full)       every part in full mode; each appends its table to bench/RESULTS.md (about 20-25 minutes)
# --funnel     also run the funnel in quick mode (its --quick: 100,000 opportunities, about a minute, not recorded)
# --no-funnel  skip the funnel in full mode
# --keep-logs  keep the parts' output (it is always kept when a part failed)
#
# Every part runs even when an earlier one failed; the exit status is non-zero when any part failed. At the end a
# summary lists each part's exit status and time, and the key figure lines (the write checks of the faults, P6, every
# missed goal).
set -euo pipefail

QUICK=0
FUNNEL=""
KEEP_LOGS=0
while [ $# -gt 0 ]; do
  case "$1" in
    --quick) QUICK=1 ;;
    --funnel) FUNNEL=1 ;;
    --no-funnel) FUNNEL=0 ;;
    --keep-logs) KEEP_LOGS=1 ;;
    -h|--help) sed -n '2,23p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "unknown argument: $1 (see --help)" >&2; exit 2 ;;
  esac
  shift
done
if [ -z "$FUNNEL" ]; then
  if [ "$QUICK" = 1 ]; then FUNNEL=0; else FUNNEL=1; fi
fi

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
LOGS="$(mktemp -d "${TMPDIR:-/tmp}/crm-bench-run.XXXXXX")"
T_START=$SECONDS
PART_PID=""
FAILED=0
SUMMARY=()

say() { echo "[run] $*" >&2; }

on_signal() {
  trap - INT TERM
  if [ -n "$PART_PID" ] && kill -0 "$PART_PID" 2>/dev/null; then
    say "stopping the running part ($PART_PID); it stops its CRM and database itself"
    kill -TERM "$PART_PID" 2>/dev/null || true
    wait "$PART_PID" 2>/dev/null || true
  fi
  say "interrupted after $((SECONDS - T_START)) s; logs in $LOGS"
  exit 130
}
trap on_signal INT TERM

# part NAME SCRIPT ARGS...: runs one benchmark script, its output shown and kept in $LOGS/NAME.log
part() {
  local name="$1"; shift
  local t0=$SECONDS rc=0
  say "=== $name: bash $* ($(cut -d' ' -f1-3 /proc/loadavg) load average)"
  bash "$@" > >(tee "$LOGS/$name.log") 2>&1 &
  PART_PID=$!
  wait "$PART_PID" || rc=$?
  PART_PID=""
  # let tee finish writing before the log is read
  sleep 0.2
  SUMMARY+=("$(printf '%-16s exit %-3s %4d s' "$name" "$rc" $((SECONDS - t0)))")
  if [ "$rc" != 0 ]; then
    FAILED=1
    say "=== $name FAILED (exit $rc) after $((SECONDS - t0)) s"
  else
    say "=== $name done in $((SECONDS - t0)) s"
  fi
}

Q=()
[ "$QUICK" = 1 ] && Q=(--quick)
[ -x karaf-distribution/target/assembly/bin/start ] \
  || { say "no distribution at karaf-distribution/target/assembly; build it first: mvn -B -ntp package -DskipTests"; exit 1; }

part core-load bench/core-load.sh "${Q[@]+"${Q[@]}"}"
part plugin-swap bench/plugin-swap.sh "${Q[@]+"${Q[@]}"}"
part faults bench/faults.sh "${Q[@]+"${Q[@]}"}"
if [ "$FUNNEL" = 1 ]; then
  if [ "$QUICK" = 1 ]; then
    part pipeline-funnel bench/pipeline-funnel.sh --quick
  else
    part pipeline-funnel bench/pipeline-funnel.sh --record
  fi
fi

echo
echo "==================== summary ($( [ "$QUICK" = 1 ] && echo quick || echo full ) run, $((SECONDS - T_START)) s)"
printf '%s\n' "${SUMMARY[@]}"
echo
echo "-- faults: acknowledged writes"
grep -h "acknowledged writes: " "$LOGS/faults.log" 2>/dev/null || echo "(none printed)"
echo "-- P6: all plugins vs core only"
grep -h "^P6 .*difference" "$LOGS/core-load.log" 2>/dev/null || echo "(none printed)"
echo "-- missed goals"
{
  grep -h "GOAL MISSED" "$LOGS"/*.log 2>/dev/null
  grep -h "| \*\*no\*\* |" "$LOGS"/core-load.log "$LOGS"/plugin-swap.log 2>/dev/null | cut -d'|' -f2-4
} | sort -u || true
[ "$QUICK" = 1 ] || echo "Tables appended to bench/RESULTS.md."
if [ "$FAILED" = 0 ] && [ "$KEEP_LOGS" = 0 ]; then
  rm -rf "$LOGS"
else
  echo "Logs of the parts: $LOGS"
fi
exit "$FAILED"
