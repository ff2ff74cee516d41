# shellcheck shell=bash
# The local S3-protocol server for ./kinder run: the npm package s3rver (installed by ensure_s3rver,
# scripts/lib/packages.sh), bound to 127.0.0.1. Its access and secret keys
# are s3rver's built-in development defaults, S3RVER/S3RVER.

S3_ACCESS_KEY=S3RVER
S3_SECRET_KEY=S3RVER
S3_BUCKET=kinder

# s3_ready PORT: answers HTTP at all (an anonymous request is refused, but with an S3 error).
s3_ready() { [[ $(curl -s -o /dev/null -w '%{http_code}' --max-time 2 "http://127.0.0.1:$1/") != 000 ]]; }

# s3_start NAME PORT DIR: run s3rver in the foreground of its own process group, objects in DIR, and
# wait until it answers. Buckets are created by the services themselves.
s3_start() {
  local name=$1 port=$2 dir=$3
  ensure_s3rver
  mkdir -p "$dir" || die "cannot create $dir"
  info "Starting s3rver (S3) on 127.0.0.1:$port (data: $dir)"
  spawn "$name" "$dir" node "$KINDER_S3RVER_JS" --directory "$dir" --address 127.0.0.1 --port "$port" \
    --no-vhost-buckets
  wait_for "s3rver ($name)" 30 "${KINDER_PIDS[$name]}" s3_ready "$port"
}
