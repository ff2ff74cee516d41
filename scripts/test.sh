# shellcheck shell=bash
# ./kinder test: install what the suite needs, build, run it, and end with "N passed, N failed, N skipped", counted
# from the TRX results. The test process starts its own throwaway PostgreSQL, Redis and s3rver and stops them when
# it exits (Kinder.Tests/Infrastructure/TestServers.cs); KINDER_TEST_POSTGRES, KINDER_TEST_REDIS and KINDER_TEST_S3,
# when set, point it at servers of your own instead.

TEST_RESULTS="$KINDER_STATE_DIR/test-results"

cmd_test() {
  local status passed failed skipped
  ensure_packages
  ensure_node_packages
  ensure_dotnet_tools
  ensure_mock_librdkafka
  dotnet_build
  rm -rf "$TEST_RESULTS"
  # dotnet test kills a test host that has not exited 100 ms after the last test; stopping the servers and deleting
  # their data takes longer.
  VSTEST_TESTHOST_SHUTDOWN_TIMEOUT=${VSTEST_TESTHOST_SHUTDOWN_TIMEOUT:-60000} dotnet test Kinder.Tests -c Release \
    --no-build --results-directory "$TEST_RESULTS" --logger trx --logger "console;verbosity=normal" \
    --blame-hang-timeout 10m "$@"
  status=$?

  read -r passed failed skipped <<<"$(trx_totals)"
  if ((status != 0)); then
    warn "dotnet test failed (exit status $status)"
  elif ((failed > 0)); then
    warn "$failed test(s) failed"
    status=1
  elif ((passed + failed == 0)); then
    warn "no test ran"
    status=1
  fi
  ((failed > 0)) && trx_failures
  echo "$passed passed, $failed failed, $skipped skipped"
  exit $((status == 0 ? 0 : 1))
}

# trx_failures: each failed test's name and the first lines of its message, printed just above the totals so that a
# log read from its end (CI keeps only the tail) names what failed.
trx_failures() {
  echo "Failed tests:"
  find "$TEST_RESULTS" -name '*.trx' -print0 2>/dev/null | xargs -0 -r awk '
    match($0, /<UnitTestResult [^>]*outcome="(Failed|Error|Timeout|Aborted)"/) {
      name = $0; sub(/.*testName="/, "", name); sub(/".*/, "", name)
      print "  " name; failing = 1; lines = 0
    }
    failing && /<Message>/ { in_message = 1; sub(/.*<Message>/, "") }
    failing && in_message {
      done = sub(/<\/Message>.*/, "")
      gsub(/&lt;/, "<"); gsub(/&gt;/, ">"); gsub(/&quot;/, "\""); gsub(/&apos;/, "\047"); gsub(/&amp;/, "\\&")
      if (lines++ < 6) print "    " $0
      if (done) { in_message = 0; failing = 0 }
    }
    failing && /<\/UnitTestResult>/ { failing = 0; in_message = 0 }'
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
