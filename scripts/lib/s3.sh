# shellcheck shell=bash
# The local S3-protocol server for ./kinder run and test: the npm package s3rver, installed once into
# .kinder/node (Node.js itself comes with the OS packages), bound to 127.0.0.1. Its access and secret keys
# are s3rver's built-in development defaults, S3RVER/S3RVER.

KINDER_S3RVER_VERSION=3.7.1
KINDER_NODE_DIR="$KINDER_STATE_DIR/node"
KINDER_S3RVER_JS="$KINDER_NODE_DIR/node_modules/s3rver/bin/s3rver.js"
S3_ACCESS_KEY=S3RVER
S3_SECRET_KEY=S3RVER
S3_BUCKET=kinder

# ensure_s3rver: npm install s3rver@KINDER_S3RVER_VERSION into .kinder/node unless that version is there.
ensure_s3rver() {
  local installed
  installed=$(node -p "require(process.argv[1]).version" "$KINDER_NODE_DIR/node_modules/s3rver/package.json" 2>/dev/null)
  [[ $installed == "$KINDER_S3RVER_VERSION" ]] && return 0
  command -v npm >/dev/null || die "npm is not installed (the nodejs and npm packages provide it)"
  info "Installing s3rver $KINDER_S3RVER_VERSION into $KINDER_NODE_DIR (npm, once)"
  npm install --prefix "$KINDER_NODE_DIR" --no-audit --no-fund --no-save --loglevel=error \
    "s3rver@$KINDER_S3RVER_VERSION" >&2 || die "npm install s3rver@$KINDER_S3RVER_VERSION failed"
}

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
