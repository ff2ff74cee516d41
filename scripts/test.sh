# shellcheck shell=bash
# ./kinder test: build, then run the whole test suite against a throwaway PostgreSQL (+PostGIS), Redis
# and s3rver. The tests start the Kafka mock broker themselves, in process. The last line of output is
# "N passed, N failed, N skipped", counted from the TRX results.

TEST_PG_PORT=${KINDER_TEST_PG_PORT:-55433}
TEST_PG_PASSWORD=${KINDER_TEST_PG_PASSWORD:-kinder-test}
TEST_REDIS_PORT=${KINDER_TEST_REDIS_PORT:-56380}
TEST_S3_PORT=${KINDER_TEST_S3_PORT:-56901}
TEST_RESULTS="$KINDER_STATE_DIR/test-results"
TEST_PG_BASE=
TEST_REDIS_DIR=
TEST_S3_DIR=
TEST_SERVERS_READY=

cmd_test() {
  local status totals passed failed skipped
  ensure_state_dir
  check_password "$TEST_PG_PASSWORD" KINDER_TEST_PG_PASSWORD
  require_free_port "$TEST_PG_PORT" "test PostgreSQL" KINDER_TEST_PG_PORT
  require_free_port "$TEST_REDIS_PORT" "test Redis" KINDER_TEST_REDIS_PORT
  require_free_port "$TEST_S3_PORT" "test S3 (s3rver)" KINDER_TEST_S3_PORT
  trap 'test_signal INT' INT
  trap 'test_signal TERM' TERM
  trap test_exit EXIT

  ensure_packages
  dotnet_build
  rm -rf "$TEST_RESULTS"
  mkdir -p "$TEST_RESULTS" || die "cannot create $TEST_RESULTS"
  test_start_servers

  export KINDER_TEST_POSTGRES
  export KINDER_TEST_REDIS="127.0.0.1:$TEST_REDIS_PORT"
  export KINDER_TEST_S3="http://127.0.0.1:$TEST_S3_PORT"
  KINDER_TEST_POSTGRES=$(pg_conn_string "$TEST_PG_PORT" postgres "$TEST_PG_PASSWORD")
  info "KINDER_TEST_POSTGRES=$KINDER_TEST_POSTGRES"
  info "KINDER_TEST_REDIS=$KINDER_TEST_REDIS"
  info "KINDER_TEST_S3=$KINDER_TEST_S3"

  # In a process group of its own, so an interrupted run takes its test hosts with it.
  SPAWN_RAW=1 spawn dotnet-test "$KINDER_ROOT" dotnet test "$KINDER_SLNF" -c Release --no-build \
    --results-directory "$TEST_RESULTS" --logger trx --logger "console;verbosity=normal" \
    --blame-hang-timeout 10m "$@"
  wait "${KINDER_PIDS[dotnet-test]}"
  status=$?
  finish_proc dotnet-test 10

  test_cleanup
  totals=$(trx_totals)
  read -r passed failed skipped <<<"$totals"
  if ((status != 0)); then
    printf '%sERROR: dotnet test failed (exit status %s)\n' "$(tag kinder)" "$status" >&2
  elif ((failed > 0)); then
    printf '%sERROR: %s test(s) failed\n' "$(tag kinder)" "$failed" >&2
    status=1
  elif ((passed + failed == 0)); then
    printf '%sERROR: no test ran\n' "$(tag kinder)" >&2
    status=1
  fi
  echo "$passed passed, $failed failed, $skipped skipped"
  trap - EXIT
  exit $((status == 0 ? 0 : 1))
}

test_start_servers() {
  # Server logs go to files next to the results, so they do not drown the test output.
  KINDER_INFRA_LOGS="see $TEST_RESULTS/postgres.log, redis.log and s3.log"
  TEST_PG_BASE=$(mktemp -d /tmp/kinder-test-pg.XXXXXX) || die "mktemp failed"
  TEST_REDIS_DIR=$(mktemp -d /tmp/kinder-test-redis.XXXXXX) || die "mktemp failed"
  TEST_S3_DIR=$(mktemp -d /tmp/kinder-test-s3.XXXXXX) || die "mktemp failed"
  pg_prepare "$TEST_PG_BASE" "$TEST_PG_BASE/run" "$TEST_PG_PASSWORD"
  # Durability is pointless for a throwaway cluster: trade it for speed. Parallel test classes each
  # open pools, hence the connection limit.
  SPAWN_LOG="$TEST_RESULTS/postgres.log" pg_start test-postgres "$TEST_PG_BASE" "$TEST_PG_PORT" \
    "$TEST_PG_BASE/run" -c fsync=off -c synchronous_commit=off -c full_page_writes=off \
    -c max_connections=300
  SPAWN_LOG="$TEST_RESULTS/redis.log" redis_start test-redis "$TEST_REDIS_PORT" "$TEST_REDIS_DIR" \
    --save "" --appendonly no
  SPAWN_LOG="$TEST_RESULTS/s3.log" s3_start test-s3 "$TEST_S3_PORT" "$TEST_S3_DIR"
  TEST_SERVERS_READY=1
  info "Test PostgreSQL on 127.0.0.1:$TEST_PG_PORT, Redis on 127.0.0.1:$TEST_REDIS_PORT and s3rver on 127.0.0.1:$TEST_S3_PORT are up."
}

# test_cleanup: stop the servers and delete their data, whatever happened. Runs once.
test_cleanup() {
  [[ -n ${TEST_CLEANED:-} ]] && return 0
  TEST_CLEANED=1
  if ((${#KINDER_STARTED[@]})); then
    stop_all
    verify_stopped
  fi
  unblock_service_autostart
  if [[ -z $TEST_SERVERS_READY && -d $TEST_RESULTS ]]; then
    # The servers did not come up: show why.
    tail -n 20 "$TEST_RESULTS"/*.log 2>/dev/null >&2
  fi
  [[ $TEST_PG_BASE == /tmp/kinder-test-pg.* ]] && as_root rm -rf "$TEST_PG_BASE"
  [[ $TEST_REDIS_DIR == /tmp/kinder-test-redis.* ]] && rm -rf "$TEST_REDIS_DIR"
  [[ $TEST_S3_DIR == /tmp/kinder-test-s3.* ]] && rm -rf "$TEST_S3_DIR"
  return 0
}

test_signal() {
  trap '' INT TERM PIPE
  echo
  info "SIG$1 received: stopping the test run…"
  exit 130
}

test_exit() {
  local status=$?
  trap '' INT TERM PIPE
  test_cleanup
  exit "$status"
}

# trx_totals: "passed failed skipped" over all TRX files, counted from the <UnitTestResult> outcomes
# (the <Counters> element does not count skipped tests). Error, timeout and aborted are failures;
# NotExecuted (skipped), Inconclusive and NotRunnable are skipped. Results nested in <InnerResults>
# (data rows of other frameworks) are not counted twice.
trx_totals() {
  local totals
  totals=$(find "$TEST_RESULTS" -name '*.trx' -print0 2>/dev/null | xargs -0 -r awk '
    /<InnerResults>/ { inner++ }
    /<\/InnerResults>/ { inner-- }
    inner == 0 && match($0, /<UnitTestResult [^>]*outcome="[A-Za-z]+"/) {
      outcome = substr($0, RSTART, RLENGTH)
      sub(/.*outcome="/, "", outcome)
      sub(/"$/, "", outcome)
      if (outcome ~ /^Passed/) passed++
      else if (outcome ~ /^(Failed|Error|Timeout|Aborted)$/) failed++
      else skipped++
    }
    END { printf "%d %d %d\n", passed, failed, skipped }')
  echo "${totals:-0 0 0}"
}
