# shellcheck shell=bash
# What ./kinder installs for the AppHost's local mode and the tests: OS packages (PostgreSQL 15 + PostGIS 3 + contrib
# and Redis from Debian), npm packages and the local dotnet tools.

KINDER_PG_VERSION=15
KINDER_APT_PACKAGES=(
  "postgresql-$KINDER_PG_VERSION" "postgresql-$KINDER_PG_VERSION-postgis-3" postgresql-contrib
  redis-server redis-tools
)
# Node.js runs the local S3 server (s3rver, below); Debian's packages only if there is no npm at all.
command -v npm >/dev/null || KINDER_APT_PACKAGES+=(nodejs npm)
# A C toolchain builds the Kafka mock's librdkafka (scripts/lib/mock-librdkafka.sh); Debian's only where missing.
command -v gcc >/dev/null || KINDER_APT_PACKAGES+=(gcc libc6-dev)
command -v make >/dev/null || KINDER_APT_PACKAGES+=(make)
command -v patch >/dev/null || KINDER_APT_PACKAGES+=(patch)
command -v python3 >/dev/null || KINDER_APT_PACKAGES+=(python3)

# package_installed PKG: dpkg knows it as fully installed (not just unpacked or removed).
package_installed() {
  [[ $(dpkg-query -W -f='${db:Status-Status}' "$1" 2>/dev/null) == installed ]]
}

# ensure_packages: apt-get install what is missing; does nothing (and needs no root) when all is there.
ensure_packages() {
  local pkg missing=() log
  command -v dpkg-query >/dev/null || die "this runner expects Debian (dpkg/apt-get); install PostgreSQL $KINDER_PG_VERSION + PostGIS 3 and Redis yourself"
  for pkg in "${KINDER_APT_PACKAGES[@]}"; do
    package_installed "$pkg" || missing+=("$pkg")
  done
  ((${#missing[@]} == 0)) && return 0

  info "Installing OS packages: ${missing[*]} (apt-get, once)"
  log=$(mktemp /tmp/kinder-apt.XXXXXX)
  block_service_autostart
  if as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq >"$log" 2>&1 &&
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
      "${missing[@]}" >>"$log" 2>&1; then
    unblock_service_autostart
    rm -f "$log"
    info "OS packages installed."
  else
    unblock_service_autostart
    # Quiet on success, but a failure shows what apt said.
    grep -v '^\(Selecting\|Preparing\|Unpacking\|Setting up\|Processing\) ' "$log" | tail -n 40 >&2
    die "apt-get failed (full log: $log)"
  fi
}

# s3rver is the local S3-protocol server of the AppHost's local mode and the tests (its keys are its built-in
# development defaults, S3RVER/S3RVER); the SignalR client is what a test drives the hub with, as a browser app would.
KINDER_NODE_DIR="$KINDER_STATE_DIR/node"
KINDER_NODE_PACKAGES=(s3rver@3.7.1 @microsoft/signalr@10.0.11)

# ensure_node_packages: npm packages the local mode and the tests use, installed once into .kinder/node: s3rver
# (the local S3 server) and the SignalR JavaScript client (a test drives the hub with it, as browsers do).
ensure_node_packages() {
  local package installed missing=()
  for package in "${KINDER_NODE_PACKAGES[@]}"; do
    installed=$(node -p "require(process.argv[1]).version" \
      "$KINDER_NODE_DIR/node_modules/${package%@*}/package.json" 2>/dev/null)
    [[ $installed == "${package##*@}" ]] || missing+=("$package")
  done
  ((${#missing[@]} == 0)) && return 0
  command -v npm >/dev/null || die "npm is not installed (the nodejs and npm packages provide it)"
  info "Installing ${missing[*]} into $KINDER_NODE_DIR (npm, once)"
  npm install --prefix "$KINDER_NODE_DIR" --no-audit --no-fund --no-save --loglevel=error "${missing[@]}" >&2 ||
    die "npm install ${missing[*]} failed"
}

# ensure_dotnet_tools: the local tools in dotnet-tools.json (smtp4dev, dotnet-ef, dotnet-counters).
# dotnet-tools.json lists rnwood.smtp4dev last: on an empty NuGet cache the SDK's restore of a tool listed after that
# RID-specific tool package reads smtp4dev's package for it and fails ("The commands contained in the package are
# smtp4dev"); reproduced with a fresh HOME every time, never with smtp4dev last.
ensure_dotnet_tools() {
  (cd "$KINDER_ROOT" && dotnet tool restore >/dev/null) || die "dotnet tool restore failed"
}

# Installing postgresql-15 / redis-server makes Debian start its own default cluster (5432) and
# Redis (6379). We run our own instances on other ports, so those would be stray processes nobody
# asked for. policy-rc.d exiting 101 is Debian's standard "do not start services" switch; it is set
# only for the duration of our apt-get, and only if the machine has no policy of its own.
KINDER_POLICY_RC=/usr/sbin/policy-rc.d
KINDER_POLICY_RC_OURS=
block_service_autostart() {
  [[ -e $KINDER_POLICY_RC ]] && return 0
  printf '#!/bin/sh\n# written by kinder during apt-get install; removed afterwards\nexit 101\n' |
    as_root tee "$KINDER_POLICY_RC" >/dev/null && as_root chmod 755 "$KINDER_POLICY_RC" &&
    KINDER_POLICY_RC_OURS=1
}
unblock_service_autostart() {
  [[ -n $KINDER_POLICY_RC_OURS ]] || return 0
  as_root rm -f "$KINDER_POLICY_RC"
  KINDER_POLICY_RC_OURS=
}
