# shellcheck shell=bash
# ./kinder bench chat [args]: the chat benchmark (bench/Kinder.Bench.Chat) against the stack that `./kinder run`
# is running in this checkout (same KINDER_*_PORT settings). Arguments go to the benchmark (--help lists them).
# KINDER_BENCH_REALTIME_INSTANCES=N starts N-1 more Realtime instances for the run (ports KINDER_REALTIME_PORT+101…,
# same Redis and Kafka consumer group) and spreads the clients over all of them; they stop when the bench ends.

KINDER_BENCH_CHAT_DLL=bench/Kinder.Bench.Chat/bin/Release/net10.0/Kinder.Bench.Chat.dll

cmd_bench_chat() {
  local instances=${KINDER_BENCH_REALTIME_INSTANCES:-1} urls i port status
  ensure_state_dir
  [[ -f $KINDER_ROOT/$KINDER_BENCH_CHAT_DLL ]] ||
    die "$KINDER_BENCH_CHAT_DLL is missing: ./kinder run builds it (or dotnet build Kinder.Ci.slnf -c Release)"
  pidfile_live "$KINDER_PID_DIR/runner.pid" >/dev/null ||
    die "no stack is running in this checkout: start it with ./kinder run (with the same KINDER_*_PORT settings) first"
  [[ -n ${Jwt__SigningKey:-} || -s $KINDER_STATE_DIR/jwt-signing-key ]] ||
    die "no signing key in $KINDER_STATE_DIR/jwt-signing-key (./kinder run makes one)"
  ensure_jwt_signing_key
  # Thousands of sockets: use the hard limit (the services inherit the runner's own limit).
  ulimit -n "$(ulimit -Hn)" 2>/dev/null || true

  urls=$(service_url realtime)
  if ((instances > 1)); then
    trap 'trap "" INT TERM PIPE; stop_all' EXIT
    trap 'exit 130' INT TERM
    if [[ -n ${KINDER_KAFKA_BOOTSTRAP:-} ]]; then
      KAFKA_BOOTSTRAP=$KINDER_KAFKA_BOOTSTRAP
    else
      KAFKA_BOOTSTRAP=$(tr -d '[:space:]' <"$KINDER_STATE_DIR/kafka.bootstrap") || die "the runner's Kafka address is unknown"
      KAFKA_IS_MOCK=1
    fi
    for ((i = 2; i <= instances; i++)); do
      port=$((REALTIME_PORT + 99 + i))
      require_free_port "$port" "Realtime instance $i" KINDER_REALTIME_PORT
      service_env realtime
      info "Starting Realtime instance $i on http://127.0.0.1:$port"
      spawn "realtime$i" "$KINDER_ROOT/Kinder.Realtime" env "${SERVICE_ENV[@]}" \
        dotnet "$(service_dll Kinder.Realtime)" --urls "http://127.0.0.1:$port"
      wait_for "Realtime instance $i" "${KINDER_HEALTH_TIMEOUT:-180}" "${KINDER_PIDS[realtime$i]}" \
        curl -sf --max-time 2 "http://127.0.0.1:$port/health"
      urls+=",http://127.0.0.1:$port"
    done
    # The new members join the "realtime" consumer group; the mock broker rebalances after its session timeout.
    sleep 8
  fi

  info "Chat benchmark: Api $(service_url api), Realtime $urls"
  dotnet "$KINDER_ROOT/$KINDER_BENCH_CHAT_DLL" --api "$(service_url api)" --realtime "$urls" \
    --db "$(pg_conn_string "$PG_PORT" kinderdb "$PG_PASSWORD")" --jwt-key "$JWT_SIGNING_KEY" \
    --pids "$KINDER_PID_DIR" "$@"
  status=$?
  return "$status"
}
