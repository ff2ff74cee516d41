# shellcheck shell=bash
# ./kinder run: what the AppHost's local mode needs, once, then the AppHost itself. Everything it starts is an Aspire
# resource; Ctrl+C stops the AppHost, and with it every process it started.

cmd_run() {
  if needs_local_infrastructure; then
    ensure_packages
    ensure_node_packages
    ensure_mock_librdkafka
  fi
  ensure_dotnet_tools
  dotnet_build Kinder.AppHost/Kinder.AppHost.csproj
  cd "$KINDER_ROOT" || exit 1
  exec dotnet run --project Kinder.AppHost -c Release --no-build --launch-profile http -- "$@"
}

# needs_local_infrastructure: the AppHost will run its infrastructure as local processes (the same choice it makes:
# Kinder__Infrastructure, else whether a container runtime answers).
needs_local_infrastructure() {
  case ${Kinder__Infrastructure:-auto} in
    local) return 0 ;;
    containers) return 1 ;;
  esac
  ! "${ASPIRE_CONTAINER_RUNTIME:-docker}" info --format '{{.ServerVersion}}' >/dev/null 2>&1
}
