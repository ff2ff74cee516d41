# shellcheck shell=bash
# ./kinder seed | bench: benchmark data in the runner's database, and the events benchmark against the running stack.
# Both use the runner's settings (KINDER_PG_PORT, KINDER_PG_PASSWORD, KINDER_API_PORT; see scripts/run.sh).

# cmd_seed [ARGS]: tools/Kinder.Seed against the runner's kinderdb; the stack must be up with its migrations applied
# (./kinder run, in another terminal).
cmd_seed() {
  port_busy "$PG_PORT" ||
    die "PostgreSQL is not running on port $PG_PORT: start the stack first (./kinder run), then ./kinder seed"
  [[ -n ${KINDER_NO_BUILD:-} ]] || dotnet_build tools/Kinder.Seed/Kinder.Seed.csproj
  (cd "$KINDER_ROOT" && dotnet tools/Kinder.Seed/bin/Release/net10.0/Kinder.Seed.dll \
    --connection "$(pg_conn_string "$PG_PORT" kinderdb "$PG_PASSWORD")" "$@")
}

# cmd_bench events [ARGS]: bench/Kinder.Bench.Events against the running Api.
cmd_bench() {
  local which=${1:-}
  (($#)) && shift
  [[ $which == events ]] || die "usage: ./kinder bench events|chat [args] (./kinder bench events --help, ./kinder bench chat --help)"
  port_busy "$API_PORT" ||
    die "nothing listens on the Api port $API_PORT: start the stack (./kinder run) and seed it (./kinder seed) first"
  [[ -n ${KINDER_NO_BUILD:-} ]] || dotnet_build bench/Kinder.Bench.Events/Kinder.Bench.Events.csproj
  (cd "$KINDER_ROOT" && dotnet bench/Kinder.Bench.Events/bin/Release/net10.0/Kinder.Bench.Events.dll \
    --api "$(service_url api)" "$@")
}
