#!/usr/bin/env bash
# Pipeline funnel benchmark: seeds 1,000,000 opportunities with their stage histories (20 subsidiaries) in an embedded
# PostgreSQL, then measures the funnel of one subsidiary for one quarter (plugins/pipeline FunnelBench) against a
# same-run baseline. Goal: p99 <= 200 ms on the 2-core reference machine. See bench/README.md.
#
#   bash bench/pipeline-funnel.sh [--record] [--quick] [-- extra maven arguments]
#
# --record  append the result section to bench/RESULTS.md (only for full runs on a quiet machine)
# --quick   100,000 opportunities and 200 calls: checks that the bench works; the figures do not count
#
# Needs the pipeline module's dependencies in the local Maven repository (it runs Maven offline) and about 2 GB of
# disk under plugins/pipeline/target. Takes a few minutes, most of it seeding.
set -euo pipefail

RECORD=false
EXTRA=()
while [ $# -gt 0 ]; do
  case "$1" in
    --record) RECORD=true ;;
    --quick) EXTRA+=("-Dcrm.bench.opportunities=100000" "-Dcrm.bench.calls=200") ;;
    --) shift; EXTRA+=("$@"); break ;;
    -h|--help) sed -n '2,12p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "unknown argument: $1 (see --help)" >&2; exit 2 ;;
  esac
  shift
done
if [ "$RECORD" = true ] && printf '%s\n' "${EXTRA[@]+"${EXTRA[@]}"}" | grep -q 'crm.bench.opportunities=100000'; then
  echo "--record and --quick do not go together: quick figures are not results" >&2
  exit 2
fi

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
# -Dtest selects the bench (its name matches none of surefire's patterns, so normal builds never run it);
# failIfNoSpecifiedTests=false because -Dtest is also applied to modules without it; trimStackTrace=false for
# readable failures. The results file is passed as an absolute path (surefire runs in the module's directory).
mvn -B -ntp -o -q test -pl plugins/pipeline -Dtest=FunnelBench -Dcrm.bench=true -Dsurefire.failIfNoSpecifiedTests=false \
  -DtrimStackTrace=false -Dcrm.bench.record="$RECORD" -Dcrm.bench.results="$ROOT/bench/RESULTS.md" \
  "${EXTRA[@]+"${EXTRA[@]}"}"
echo
echo "Report: plugins/pipeline/target/funnel-bench-report.md; plan: plugins/pipeline/target/funnel-bench-explain.txt"
if [ "$RECORD" = true ]; then echo "Appended to bench/RESULTS.md"; fi
