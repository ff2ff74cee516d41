# shellcheck shell=bash
# Shared helpers for ./kinder: messages, privileges, ports and process checks.
# Sourced by ./kinder, which sets KINDER_ROOT.

KINDER_STATE_DIR="$KINDER_ROOT/.kinder"
KINDER_PID_DIR="$KINDER_STATE_DIR/pids"

# Colour only for a person at a terminal; NO_COLOR (no-color.org) turns it off.
if [[ -t 1 && -z ${NO_COLOR:-} ]]; then KINDER_COLOR=1; else KINDER_COLOR=; fi

# tag NAME: the "[NAME] " prefix put in front of every line from NAME.
tag() {
  local code
  if [[ -z $KINDER_COLOR ]]; then printf '[%s] ' "$1"; return; fi
  case $1 in
    api) code=32 ;; realtime) code=36 ;; workers | migrate) code=35 ;;
    kafka) code=33 ;; postgres) code=34 ;; redis) code=31 ;; smtp) code=93 ;; *) code=1 ;;
  esac
  printf '\e[%sm[%s]\e[0m ' "$code" "$1"
}

info() { printf '%s%s\n' "$(tag kinder)" "$*"; }
warn() { printf '%sWARNING: %s\n' "$(tag kinder)" "$*" >&2; }
# die ends ./kinder; the command's EXIT trap then stops whatever it had started.
die() {
  printf '%sERROR: %s\n' "$(tag kinder)" "$*" >&2
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

# PostgreSQL refuses to run as root, so its programs run as the 'postgres' OS user.
# As an array so that spawn (which execs a command, not a function) can use it too.
if ((EUID == 0)); then AS_POSTGRES=(runuser -u postgres --); else AS_POSTGRES=(sudo -u postgres --); fi

# as_postgres CMD...: run CMD as postgres, from / because our working directory may be
# unreadable to postgres (which makes initdb and psql complain).
as_postgres() { (cd / && "${AS_POSTGRES[@]}" "$@"); }

# port_busy PORT: true when something accepts TCP connections on 127.0.0.1:PORT.
port_busy() { (: >"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# require_free_port PORT WHAT KNOB: refuse to start WHAT on a port someone else holds, so that we
# never talk to (or later stop) a server we did not start.
require_free_port() {
  local port=$1 what=$2 knob=$3 holder=
  port_busy "$port" || return 0
  if command -v ss >/dev/null; then
    holder=$(ss -Hltnp "sport = :$port" 2>/dev/null | grep -o '"[^"]*",pid=[0-9]*' | head -n1 |
      sed 's/"\(.*\)",pid=\(.*\)/\1 (pid \2)/')
  fi
  die "port $port ($what) is already in use on 127.0.0.1${holder:+ by $holder}." \
    "Not starting or touching it: stop that process, or choose another port with $knob=<port>" \
    "(leftovers of an earlier ./kinder run are stopped by ./kinder stop)."
}

# alive PID: the process exists and is not a zombie (kill -0 alone succeeds on zombies).
alive() {
  local stat
  { read -r stat <"/proc/$1/stat"; } 2>/dev/null || return 1
  stat=${stat##*) }
  [[ ${stat:0:1} != Z ]]
}

# start_time PID: the process's start time in clock ticks since boot. A pid file stores it next to
# the pid, so a recycled pid is never mistaken for our process.
start_time() {
  local stat
  { read -r stat <"/proc/$1/stat"; } 2>/dev/null || return 1
  stat=${stat##*) }
  # shellcheck disable=SC2086 # split the fields on purpose; starttime is field 22 (20th after comm).
  set -- $stat
  printf '%s\n' "${20}"
}

# wait_gone PID SECONDS: poll until PID has exited; false on timeout.
wait_gone() {
  local pid=$1 tries=$(($2 * 10))
  while alive "$pid"; do
    ((tries-- > 0)) || return 1
    sleep 0.1
  done
}

# group_alive PGID: some live process of that process group is still there. Zombies do not count:
# an orphaned prefixer may wait a while for init to reap it, and kill -0 would count it.
group_alive() {
  local file stat fields
  for file in /proc/[0-9]*/stat; do
    { read -r stat <"$file"; } 2>/dev/null || continue
    read -r -a fields <<<"${stat##*) }" # state ppid pgrp ...
    [[ ${fields[2]} == "$1" && ${fields[0]} != Z ]] && return 0
  done
  return 1
}

# repo_hash: short, stable name for this checkout, used for directories outside the repo.
repo_hash() { printf '%s' "$KINDER_ROOT" | sha256sum | cut -c1-12; }

# ensure_state_dir: .kinder/ must be traversable by postgres (it holds its data directory).
ensure_state_dir() {
  mkdir -p "$KINDER_PID_DIR" || die "cannot create $KINDER_PID_DIR"
  chmod a+x "$KINDER_STATE_DIR" 2>/dev/null || true
}

# What ./kinder builds and tests: the solution without the Aspire AppHost (never bare `dotnet build`).
KINDER_SLNF=Kinder.Ci.slnf

# dotnet_build [PROJECT]: incremental Release build of the CI solution filter (or one project).
# No MSBuild node reuse: worker nodes would otherwise linger after we are gone.
dotnet_build() {
  local target=${1:-$KINDER_SLNF}
  command -v dotnet >/dev/null || die "the .NET 10 SDK (dotnet) is not on PATH"
  info "Building $target (Release)…"
  (cd "$KINDER_ROOT" && dotnet build "$target" -c Release -nologo -nodeReuse:false) ||
    die "build failed (see the errors above)"
}

# wait_for WHAT SECONDS PID CMD...: poll CMD until it succeeds; fail if PID dies or time runs out.
wait_for() {
  local what=$1 secs=$2 pid=$3
  shift 3
  local deadline=$((SECONDS + secs))
  until "$@" >/dev/null 2>&1; do
    alive "$pid" || die "$what exited while starting (${KINDER_INFRA_LOGS:-its output is above})"
    ((SECONDS < deadline)) || die "$what was not ready within ${secs}s"
    sleep 0.2
  done
}
