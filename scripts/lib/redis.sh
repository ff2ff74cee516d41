# shellcheck shell=bash
# Redis instances of our own (never Debian's redis-server service), bound to 127.0.0.1.

# redis_ready PORT: answers PING (a server still loading its dump answers an error instead).
redis_ready() { [[ $(redis-cli -h 127.0.0.1 -p "$1" ping 2>/dev/null) == PONG ]]; }

# redis_start NAME PORT DIR [--option value]...: run redis-server in the foreground of its own
# process group, data files in DIR, and wait until it answers.
redis_start() {
  local name=$1 port=$2 dir=$3
  shift 3
  command -v redis-server >/dev/null || die "redis-server is not installed"
  mkdir -p "$dir" || die "cannot create $dir"
  info "Starting Redis on 127.0.0.1:$port (data: $dir)"
  # stdbuf: redis logs through stdio, which is block-buffered on a pipe.
  spawn "$name" "$dir" stdbuf -oL redis-server --port "$port" --bind 127.0.0.1 --dir "$dir" \
    --daemonize no --supervised no "$@"
  wait_for "Redis ($name)" 30 "${KINDER_PIDS[$name]}" redis_ready "$port"
}
