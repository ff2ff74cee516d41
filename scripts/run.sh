# shellcheck shell=bash
# ./kinder run | infra | stop: the local topology without Docker.

PG_PORT=${KINDER_PG_PORT:-55432}
PG_PASSWORD=${KINDER_PG_PASSWORD:-kinder-dev}
REDIS_PORT=${KINDER_REDIS_PORT:-56379}
API_PORT=${KINDER_API_PORT:-5080}
REALTIME_PORT=${KINDER_REALTIME_PORT:-5081}
WORKERS_PORT=${KINDER_WORKERS_PORT:-5082}
SMTP_PORT=${KINDER_SMTP_PORT:-56025}
S3_PORT=${KINDER_S3_PORT:-56900}

# runner_begin: one runner per checkout; leftovers of a killed runner are reported, not reused;
# from here on, Ctrl+C, SIGTERM, an error or a dead process all end in stop_all.
runner_begin() {
  local pid file
  ensure_state_dir
  if pid=$(pidfile_live "$KINDER_PID_DIR/runner.pid"); then
    die "a runner is already running in this checkout (pid $pid): stop it with Ctrl+C or ./kinder stop"
  fi
  for file in "$KINDER_PID_DIR"/*.pid; do
    [[ -e $file ]] || continue
    pid=$(pidfile_live "$file") &&
      die "$(basename "$file" .pid) (pid $pid) is left over from an earlier run: ./kinder stop"
  done
  printf '%s %s\n' "$$" "$(start_time $$)" >"$KINDER_PID_DIR/runner.pid"
  trap 'on_signal INT' INT
  trap 'on_signal TERM' TERM
  trap on_exit EXIT
}

on_signal() {
  # A second Ctrl+C must not interrupt the orderly stop; nor may a reader of our output that
  # Ctrl+C ended first (./kinder run | tee log): its broken pipe would kill us with SIGPIPE.
  trap '' INT TERM PIPE
  echo
  info "SIG$1 received: stopping everything…"
  exit 0
}

on_exit() {
  local status=$?
  trap '' INT TERM PIPE
  if ((${#KINDER_STARTED[@]})); then
    stop_all
    verify_stopped
  fi
  unblock_service_autostart
  rm -f "$KINDER_PID_DIR/runner.pid"
  exit "$status"
}

# check_settings: before starting anything, so a busy port never leaves half a topology behind.
check_settings() {
  check_password "$PG_PASSWORD" KINDER_PG_PASSWORD
  require_free_port "$PG_PORT" PostgreSQL KINDER_PG_PORT
  require_free_port "$REDIS_PORT" Redis KINDER_REDIS_PORT
  require_free_port "$SMTP_PORT" "SMTP sink" KINDER_SMTP_PORT
  require_free_port "$S3_PORT" "S3 (s3rver)" KINDER_S3_PORT
  [[ $1 == infra ]] && return 0
  require_free_port "$API_PORT" Api KINDER_API_PORT
  require_free_port "$REALTIME_PORT" Realtime KINDER_REALTIME_PORT
  require_free_port "$WORKERS_PORT" Workers KINDER_WORKERS_PORT
}

start_infra() {
  local base sock
  base=$(pg_base_dir)
  if [[ $base != "$KINDER_STATE_DIR"/* ]]; then
    info "The postgres user cannot reach $KINDER_STATE_DIR (a parent directory is not traversable);" \
      "PostgreSQL data goes to $base instead."
  fi
  sock=$(pg_socket_dir "$base")
  pg_prepare "$base" "$sock" "$PG_PASSWORD"
  # Three services each pool up to 100 connections (Npgsql's default), plus seed and benchmark tools.
  pg_start postgres "$base" "$PG_PORT" "$sock" -c max_connections=400
  pg_ensure_db "$sock" "$PG_PORT" "$PG_PASSWORD" kinderdb
  [[ $PG_PASSWORD == kinder-dev ]] &&
    info "PostgreSQL password is the development default 'kinder-dev' (set KINDER_PG_PASSWORD to change it)."
  # Redis keeps its default snapshots, in .kinder/redis, so its data survives a restart too.
  redis_start redis "$REDIS_PORT" "$KINDER_STATE_DIR/redis" --save "3600 1 300 100 60 10000" --appendonly no
  kafka_start
  smtp_start
  s3_start s3 "$S3_PORT" "$KINDER_STATE_DIR/s3"
}

print_infra() {
  cat <<EOF
  PostgreSQL  $(pg_conn_string "$PG_PORT" kinderdb "$PG_PASSWORD")
  Redis       127.0.0.1:$REDIS_PORT
  Kafka       $KAFKA_BOOTSTRAP
EOF
  if [[ -n $KAFKA_IS_MOCK ]]; then
    echo "              (librdkafka's mock broker: records are kept IN MEMORY ONLY and lost when this stops)"
  fi
  echo "  Mail        SMTP 127.0.0.1:$SMTP_PORT; every message is saved in ${SMTP_MAIL_DIR#"$KINDER_ROOT"/}/ as an .eml file"
  echo "  S3          http://127.0.0.1:$S3_PORT  bucket $S3_BUCKET, keys $S3_ACCESS_KEY/$S3_SECRET_KEY (s3rver's development defaults)"
}

cmd_run() {
  runner_begin
  check_settings run
  ensure_packages
  [[ -n ${KINDER_NO_BUILD:-} ]] || dotnet_build
  start_infra
  if [[ -n ${KINDER_SKIP_MIGRATIONS:-} ]]; then
    warn "KINDER_SKIP_MIGRATIONS is set: not applying migrations (debugging only)."
  else
    run_migrations
  fi
  start_service api Kinder.Api "$API_PORT"
  start_service realtime Kinder.Realtime "$REALTIME_PORT"
  start_service workers Kinder.Workers "$WORKERS_PORT"
  if [[ -n ${KINDER_SKIP_HEALTH_WAIT:-} ]]; then
    warn "KINDER_SKIP_HEALTH_WAIT is set: not waiting for /health (debugging only)."
  else
    wait_healthy api realtime workers
  fi
  cat <<EOF

$(tag kinder)Kinder is running. Ctrl+C stops everything.
  Api         $(service_url api)
  API docs    $(service_url api)/scalar   (OpenAPI document: $(service_url api)/openapi/v1.json)
  Realtime    $(service_url realtime)/hubs/chat   (SignalR hub)
  Workers     $(service_url workers)/health
$(print_infra)

EOF
  supervise
}

cmd_infra() {
  runner_begin
  check_settings infra
  ensure_packages
  if [[ -z ${KINDER_NO_BUILD:-} && -z ${KINDER_KAFKA_BOOTSTRAP:-} ]]; then
    dotnet_build tools/Kinder.KafkaMock/Kinder.KafkaMock.csproj
  fi
  [[ -n ${KINDER_NO_BUILD:-} ]] || dotnet_build tools/Kinder.SmtpSink/Kinder.SmtpSink.csproj
  start_infra
  cat <<EOF

$(tag kinder)Infrastructure is running. Ctrl+C stops it.
$(print_infra)

EOF
  supervise
}

# cmd_stop: stop what a runner left behind (it was killed, or is still running elsewhere).
cmd_stop() {
  local pid
  ensure_state_dir
  if pid=$(pidfile_live "$KINDER_PID_DIR/runner.pid"); then
    info "Asking the runner (pid $pid) to stop…"
    kill -TERM "$pid"
    wait_gone "$pid" 120 || warn "the runner (pid $pid) is still running after 120s"
  fi
  rm -f "$KINDER_PID_DIR/runner.pid"
  load_pidfiles
  if ((${#KINDER_STARTED[@]} == 0)); then
    info "Nothing to stop."
    return 0
  fi
  info "Stopping leftovers: ${KINDER_STARTED[*]}"
  stop_all
  verify_stopped
}
