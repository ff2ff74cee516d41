# shellcheck shell=bash
# Running the three services from their Release build output (built by dotnet_build, scripts/lib/common.sh).

# service_url NAME: where NAME listens.
service_url() {
  case $1 in
    api) echo "http://127.0.0.1:$API_PORT" ;;
    realtime) echo "http://127.0.0.1:$REALTIME_PORT" ;;
    workers) echo "http://127.0.0.1:$WORKERS_PORT" ;;
  esac
}

# service_env NAME: sets SERVICE_ENV to what an Aspire AppHost would inject into NAME: connection
# strings, the service name for OpenTelemetry, and service-discovery entries for the other services.
# Everything else in our own environment passes through unchanged.
service_env() {
  ensure_jwt_signing_key
  SERVICE_ENV=(
    ASPNETCORE_ENVIRONMENT=Development
    DOTNET_ENVIRONMENT=Development
    "ConnectionStrings__kinderdb=$(pg_conn_string "$PG_PORT" kinderdb "$PG_PASSWORD")"
    "ConnectionStrings__redis=127.0.0.1:$REDIS_PORT"
    "ConnectionStrings__kafka=$KAFKA_BOOTSTRAP"
    "OTEL_SERVICE_NAME=$1"
    "Jwt__SigningKey=$JWT_SIGNING_KEY"
    "App__PublicUrl=$(service_url api)"
    Smtp__Host=127.0.0.1
    "Smtp__Port=$SMTP_PORT"
    "services__api__http__0=$(service_url api)"
    "services__realtime__http__0=$(service_url realtime)"
    "services__workers__http__0=$(service_url workers)"
  )
  # The mock broker answers a group join only after the session timeout of a member that left (44 s by
  # default), so a restarted service would sit idle that long; a short timeout keeps restarts quick. It also holds
  # every fetch for the whole fetch.wait.max.ms (500 ms) instead of answering when a record arrives, as a real broker
  # does: every hop of the chat path would wait that long, so consumers ask for 10 ms.
  if [[ -n $KAFKA_IS_MOCK ]]; then
    SERVICE_ENV+=(
      Aspire__Confluent__Kafka__Consumer__Config__SessionTimeoutMs=6000
      Aspire__Confluent__Kafka__Consumer__Config__HeartbeatIntervalMs=1000
      Aspire__Confluent__Kafka__Consumer__Config__FetchWaitMaxMs=10
    )
  fi
  # Object storage: the local s3rver (scripts/lib/s3.sh) with its development keys.
  SERVICE_ENV+=(
    "Storage__ServiceUrl=http://127.0.0.1:$S3_PORT"
    "Storage__Bucket=$S3_BUCKET"
    "Storage__AccessKey=$S3_ACCESS_KEY"
    "Storage__SecretKey=$S3_SECRET_KEY"
  )
}

# ensure_jwt_signing_key: sets JWT_SIGNING_KEY from Jwt__SigningKey when the user set one, else from a random key
# made once for this checkout and kept in .kinder/ (never committed), so tokens survive a restart of the runner.
ensure_jwt_signing_key() {
  local file="$KINDER_STATE_DIR/jwt-signing-key"
  if [[ -n ${Jwt__SigningKey:-} ]]; then
    JWT_SIGNING_KEY=$Jwt__SigningKey
    return 0
  fi
  if [[ ! -s $file ]]; then
    (umask 077 && head -c 48 /dev/urandom | base64 -w0 >"$file") || die "cannot write $file"
  fi
  JWT_SIGNING_KEY=$(<"$file")
}

# service_dll PROJECT: its Release build output. (The services run with their project directory as
# working directory, as under `dotnet run` or an AppHost, so the project's appsettings*.json apply.)
service_dll() {
  local dll="$KINDER_ROOT/$1/bin/Release/net10.0/$1.dll"
  [[ -f $dll ]] || die "$dll is missing: build first (./kinder run builds unless KINDER_NO_BUILD=1)"
  echo "$dll"
}

# run_migrations: `Kinder.Workers.dll migrate` applies the EF Core migrations and exits.
run_migrations() {
  local dll pid status secs=${KINDER_MIGRATE_TIMEOUT:-600}
  local deadline=$((SECONDS + secs))
  dll=$(service_dll Kinder.Workers) || exit 1
  service_env workers
  info "Applying database migrations (Kinder.Workers migrate)…"
  spawn migrate "$KINDER_ROOT/Kinder.Workers" env "${SERVICE_ENV[@]}" dotnet "$dll" migrate
  pid=${KINDER_PIDS[migrate]}
  while alive "$pid"; do
    ((SECONDS < deadline)) || die "migrations did not finish within ${secs}s (KINDER_MIGRATE_TIMEOUT)"
    sleep 0.2
  done
  wait "$pid"
  status=$?
  finish_proc migrate 5
  ((status == 0)) || die "migrations failed (exit status $status)"
}

# start_service NAME PROJECT PORT
start_service() {
  local dll
  dll=$(service_dll "$2") || exit 1
  service_env "$1"
  info "Starting $1 on $(service_url "$1")"
  spawn "$1" "$KINDER_ROOT/$2" env "${SERVICE_ENV[@]}" dotnet "$dll" --urls "http://127.0.0.1:$3"
}

# wait_healthy NAME...: until GET /health answers 200 for each, or time runs out.
wait_healthy() {
  local secs=${KINDER_HEALTH_TIMEOUT:-180} name code pending=("$@") waiting report
  local deadline=$((SECONDS + secs))
  declare -A last=()
  info "Waiting for /health of: $* (up to ${secs}s)…"
  while ((${#pending[@]})); do
    waiting=()
    for name in "${pending[@]}"; do
      code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 2 "$(service_url "$name")/health") || true
      if [[ $code == 200 ]]; then
        info "$name is healthy."
        continue
      fi
      alive "${KINDER_PIDS[$name]}" || die "$name exited before it became healthy (its output is above)"
      last[$name]=$code
      waiting+=("$name")
    done
    pending=("${waiting[@]}")
    ((${#pending[@]})) || break
    if ((SECONDS >= deadline)); then
      report=
      for name in "${pending[@]}"; do
        [[ ${last[$name]} == 000 ]] && code="no answer" || code="HTTP ${last[$name]}"
        report+=" $name ($(service_url "$name")/health: $code);"
      done
      die "timed out after ${secs}s (KINDER_HEALTH_TIMEOUT) waiting for health; not healthy:${report%;}"
    fi
    sleep 1
  done
}
