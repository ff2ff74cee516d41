# shellcheck shell=bash
# The processes ./kinder starts, and how they are stopped.
#
# Each one runs in a session (so a process group) of its own: Ctrl+C in the terminal then reaches
# only ./kinder, which stops things in order (services before the servers they use), and a whole
# process tree can be signalled at once by its group id. Each is recorded in .kinder/pids/NAME.pid
# as "PID STARTTIME" plus an optional second line (PostgreSQL's data directory), so that
# ./kinder stop can find leftovers and never mistakes a recycled pid for ours.

declare -A KINDER_PIDS=()  # name -> pid, which is also the process group id
declare -A KINDER_NOTES=() # name -> PostgreSQL data directory, for PostgreSQL entries
declare -A KINDER_GROUPS=() # name -> process group id, kept after the entry is stopped
KINDER_STARTED=()          # names in start order
KINDER_SERVICES=(api realtime workers migrate dotnet-test) # stopped first, all at once

# spawn NAME DIR CMD...: start CMD in DIR as a new session. Its output is prefixed "[NAME] " line by
# line on our stdout, or appended to the file $SPAWN_LOG when that is set, or left as it is with
# SPAWN_RAW=1. $SPAWN_NOTE, when set, is stored as the entry's note (a PostgreSQL data directory).
# setsid runs in place (the background job is not a group leader), so $! is the command's own pid
# and its process group id; the prefixer is forked before the exec and so belongs to the group too.
spawn() {
  local name=$1 dir=$2
  shift 2
  if [[ -n ${SPAWN_RAW:-} ]]; then
    # shellcheck disable=SC2016
    setsid bash -c 'cd "$1" || exit 1; shift; exec "$@"' "kinder-$name" "$dir" "$@" </dev/null &
  elif [[ -n ${SPAWN_LOG:-} ]]; then
    # shellcheck disable=SC2016 # expanded by the inner bash
    setsid bash -c 'cd "$1" || exit 1; log=$2; shift 2; exec "$@" >>"$log" 2>&1' \
      "kinder-$name" "$dir" "$SPAWN_LOG" "$@" </dev/null &
  else
    # shellcheck disable=SC2016
    setsid bash -c 'cd "$1" || exit 1; prefix=$2; shift 2
      exec "$@" > >(exec sed -u "s/^/$prefix/") 2>&1' \
      "kinder-$name" "$dir" "$(tag "$name")" "$@" </dev/null &
  fi
  KINDER_PIDS[$name]=$!
  KINDER_GROUPS[$name]=$!
  KINDER_NOTES[$name]=${SPAWN_NOTE:-}
  KINDER_STARTED+=("$name")
  write_pidfile "$name"
}

write_pidfile() {
  local name=$1 pid=${KINDER_PIDS[$1]}
  printf '%s %s\n%s\n' "$pid" "$(start_time "$pid" || echo 0)" "${KINDER_NOTES[$name]}" \
    >"$KINDER_PID_DIR/$name.pid"
}

# pidfile_live FILE: prints the pid recorded in FILE when that very process is still running.
pidfile_live() {
  local pid started
  [[ -f $1 ]] || return 1
  read -r pid started <"$1" || return 1
  [[ $pid =~ ^[0-9]+$ ]] && alive "$pid" && [[ $(start_time "$pid") == "$started" ]] && echo "$pid"
}

# load_pidfiles: adopt the live entries of .kinder/pids (leftovers of a runner that was killed),
# in start order, so that stop_all stops them in reverse.
load_pidfiles() {
  local file name pid known=(postgres test-postgres redis test-redis kafka smtp s3 test-s3 migrate api realtime workers dotnet-test)
  for name in "${known[@]}" $(cd "$KINDER_PID_DIR" && ls -- *.pid 2>/dev/null | sed 's/\.pid$//'); do
    file="$KINDER_PID_DIR/$name.pid"
    [[ -e $file && -z ${KINDER_PIDS[$name]:-} && $name != runner ]] || continue
    if pid=$(pidfile_live "$file"); then
      KINDER_PIDS[$name]=$pid
      KINDER_GROUPS[$name]=$pid
      KINDER_NOTES[$name]=$(sed -n 2p "$file")
      KINDER_STARTED+=("$name")
    elif [[ -n $(sed -n 2p "$file") ]]; then
      # A PostgreSQL whose runuser wrapper is gone may still be running: pg_ctl stop will tell.
      KINDER_PIDS[$name]=0
      KINDER_NOTES[$name]=$(sed -n 2p "$file")
      KINDER_STARTED+=("$name")
    else
      rm -f "$file"
    fi
  done
}

# finish_proc NAME SECONDS: after NAME was asked to stop, wait for it; kill its group if it does
# not exit in time; let its prefixer drain; make sure nothing of the group is left; reap it.
finish_proc() {
  local name=$1 secs=$2 pid=${KINDER_PIDS[$1]} tries=30
  if ((pid > 0)); then
    if ! wait_gone "$pid" "$secs"; then
      warn "$name did not stop within ${secs}s; killing its process group"
      kill -KILL -- "-$pid" 2>/dev/null
      wait_gone "$pid" 5
    fi
    while group_alive "$pid" && ((tries-- > 0)); do sleep 0.1; done
    kill -KILL -- "-$pid" 2>/dev/null
    wait "$pid" 2>/dev/null # reaps our own children; a no-op for adopted leftovers
  fi
  rm -f "$KINDER_PID_DIR/$name.pid"
  unset "KINDER_PIDS[$name]"
}

# stop_all: stop everything started (or adopted), services first, then the servers in reverse
# start order. Safe to call more than once.
stop_all() {
  [[ -n ${KINDER_STOPPING:-} ]] && return 0
  KINDER_STOPPING=1
  unblock_service_autostart
  local name i running=()
  for name in "${KINDER_SERVICES[@]}"; do
    [[ -n ${KINDER_PIDS[$name]:-} ]] || continue
    running+=("$name")
    alive "${KINDER_PIDS[$name]}" && kill -TERM "${KINDER_PIDS[$name]}" 2>/dev/null
  done
  for name in "${running[@]}"; do finish_proc "$name" 30; done

  for ((i = ${#KINDER_STARTED[@]} - 1; i >= 0; i--)); do
    name=${KINDER_STARTED[i]}
    [[ -n ${KINDER_PIDS[$name]:-} ]] || continue
    if [[ -n ${KINDER_NOTES[$name]} ]]; then
      pg_stop "${KINDER_NOTES[$name]}"
    elif alive "${KINDER_PIDS[$name]}"; then
      kill -TERM "${KINDER_PIDS[$name]}" 2>/dev/null
    fi
    finish_proc "$name" 30
  done
}

# supervise: block until a started process exits (then stop everything and fail) or a signal
# arrives (its trap stops everything).
supervise() {
  local name exited status
  wait -n -p exited "${KINDER_PIDS[@]}"
  status=$?
  for name in "${!KINDER_PIDS[@]}"; do
    [[ ${KINDER_PIDS[$name]} == "${exited:-}" ]] && break
  done
  warn "$name exited unexpectedly (status $status); stopping everything."
  exit 1
}

# verify_stopped: say so if anything we started survived (it should not).
verify_stopped() {
  local name pid left=
  for name in "${!KINDER_GROUPS[@]}"; do
    pid=${KINDER_GROUPS[$name]}
    if ((pid > 0)) && group_alive "$pid"; then
      warn "processes of $name (process group $pid) are still running"
      left=1
    fi
  done
  for name in "${!KINDER_NOTES[@]}"; do
    if [[ -n ${KINDER_NOTES[$name]} ]] && as_postgres test -f "${KINDER_NOTES[$name]}/postmaster.pid"; then
      warn "PostgreSQL still has a postmaster.pid in ${KINDER_NOTES[$name]}"
      left=1
    fi
  done
  [[ -n $left ]] || info "Stopped; nothing left running."
}
