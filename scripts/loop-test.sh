#!/usr/bin/env bash
# scripts/loop-test.sh [-n RUNS] [--no-build] FILTER: runs the tests matching FILTER (dotnet test --filter syntax)
# RUNS times in a row (20 by default) from this checkout, as ./kinder test runs them: the same setup and one Release
# build first, then a fresh test process per run (its own PostgreSQL, Redis, s3rver and Kafka mock). Prints one line
# per run (pass or fail, duration, log file) and a last line "loop: P of N runs passed (filter …)"; exits non-zero
# if any run failed. For a flaky test: a fix holds when the loop passes from a fresh clone.
#   scripts/loop-test.sh -n 20 "FullyQualifiedName~ChatGuaranteesEndToEndTests.A_thousand_concurrent_messages"
set -uo pipefail

KINDER_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)
for script in lib/common.sh lib/packages.sh lib/mock-librdkafka.sh; do
  # shellcheck source=/dev/null
  source "$KINDER_ROOT/scripts/$script"
done
cd "$KINDER_ROOT" || exit 1
export DOTNET_NOLOGO=${DOTNET_NOLOGO:-1}
export DOTNET_CLI_TELEMETRY_OPTOUT=${DOTNET_CLI_TELEMETRY_OPTOUT:-1}

runs=20
build=1
while (($#)); do
  case $1 in
    -n) runs=${2:?-n needs a number}; shift 2 ;;
    --no-build) build=0; shift ;;
    -h | --help) sed -n '2,7p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) break ;;
  esac
done
(($# == 1)) || die "usage: scripts/loop-test.sh [-n RUNS] [--no-build] FILTER"
filter=$1
[[ $runs =~ ^[1-9][0-9]*$ ]] || die "-n wants a positive number, not '$runs'"

if ((build)); then
  ensure_packages
  ensure_node_packages
  ensure_dotnet_tools
  dotnet_build
fi
# Not a build step: the tests load this library, so a changed patch is built even with --no-build (a no-op otherwise).
ensure_mock_librdkafka

logs="$KINDER_STATE_DIR/loop-test/$(date -u +%Y%m%dT%H%M%SZ)"
mkdir -p "$logs"
passed=0
for ((run = 1; run <= runs; run++)); do
  log="$logs/run-$run.log"
  started=$SECONDS
  # As ./kinder test: the test host may take its time stopping the servers it started.
  VSTEST_TESTHOST_SHUTDOWN_TIMEOUT=${VSTEST_TESTHOST_SHUTDOWN_TIMEOUT:-60000} dotnet test Kinder.Tests -c Release \
    --no-build --filter "$filter" --logger "console;verbosity=normal" --blame-hang-timeout 10m >"$log" 2>&1
  status=$?
  # A filter that matches nothing also exits 0: a run passes when tests ran and the run says it succeeded.
  total=$(sed -n 's/^Total tests: \([0-9]*\).*/\1/p' "$log" | tail -1)
  if ((status == 0)) && ((${total:-0} > 0)) && grep -q '^Test Run Successful\.' "$log"; then
    passed=$((passed + 1))
    printf 'run %d/%d: pass (%ds) %s\n' "$run" "$runs" $((SECONDS - started)) "$log"
  else
    printf 'run %d/%d: FAIL (%ds, exit %d) %s\n' "$run" "$runs" $((SECONDS - started)) "$status" "$log"
    grep -E '^\s+Failed |is missing|Exception:' "$log" | head -5 | sed 's/^/    /'
  fi
done
echo "loop: $passed of $runs runs passed (filter $filter)"
((passed == runs))
