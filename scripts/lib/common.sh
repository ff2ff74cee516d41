# shellcheck shell=bash
# Shared helpers for ./kinder: messages, privileges, the build. Sourced by ./kinder, which sets KINDER_ROOT.

KINDER_STATE_DIR="$KINDER_ROOT/.kinder"

info() { printf '[kinder] %s\n' "$*"; }
warn() { printf '[kinder] WARNING: %s\n' "$*" >&2; }
die() {
  printf '[kinder] ERROR: %s\n' "$*" >&2
  exit 1
}

# as_root CMD...: run CMD as root, through sudo when we are not root.
as_root() {
  if ((EUID == 0)); then
    "$@"
  elif command -v sudo >/dev/null; then
    sudo -- "$@"
  else
    die "need root for: $* (run as root or install sudo)"
  fi
}

# dotnet_build [PROJECT]: incremental Release build of the whole solution (or one project).
# No MSBuild node reuse: worker nodes would otherwise linger after we are gone.
dotnet_build() {
  local target=${1:-Kinder.sln}
  command -v dotnet >/dev/null || die "the .NET 10 SDK (dotnet) is not on PATH"
  info "Building $target (Release)…"
  (cd "$KINDER_ROOT" && dotnet build "$target" -c Release -nologo -nodeReuse:false) ||
    die "build failed (see the errors above)"
}
