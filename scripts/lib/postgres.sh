# shellcheck shell=bash
# PostgreSQL instances of our own (never Debian's default cluster), run as the 'postgres' user.

KINDER_PG_BIN=${KINDER_PG_BINDIR:-/usr/lib/postgresql/$KINDER_PG_VERSION/bin}

# pg_base_dir: where ./kinder run keeps PostgreSQL: .kinder/postgres, or, when postgres cannot
# reach the repository (a clone under /root, say), /var/lib/kinder/<hash of the repo path>/postgres.
pg_base_dir() {
  if as_postgres test -x "$KINDER_STATE_DIR" 2>/dev/null; then
    echo "$KINDER_STATE_DIR/postgres"
  else
    echo "/var/lib/kinder/$(repo_hash)/postgres"
  fi
}

# pg_socket_dir BASE: BASE/run, unless that path is too long for a Unix socket (108 bytes with the
# ".s.PGSQL.<port>" file name), then a short directory under /tmp.
pg_socket_dir() {
  local dir="$1/run"
  ((${#dir} <= 80)) || dir="/tmp/kinder-pg-$(printf '%s' "$1" | sha256sum | cut -c1-12)"
  echo "$dir"
}

# pg_prepare BASE SOCKDIR PASSWORD: directories owned by postgres; initdb on first use
# (UTF8, peer auth on the socket for administration, scram-sha-256 over TCP).
pg_prepare() {
  local base=$1 sock=$2 password=$3 log version
  as_root install -d -o postgres -g postgres -m 0700 "$base" || die "cannot create $base"
  as_postgres mkdir -p -m 0700 "$sock" || die "postgres cannot create its socket directory $sock"
  if as_postgres test -f "$base/data/PG_VERSION"; then
    version=$(as_postgres cat "$base/data/PG_VERSION")
    [[ $version == "$KINDER_PG_VERSION" ]] ||
      die "$base/data was made by PostgreSQL $version; this runner uses $KINDER_PG_VERSION. Move it away to start afresh."
    return 0
  fi

  info "Creating a PostgreSQL $KINDER_PG_VERSION cluster in $base/data (first start)."
  log=$(mktemp /tmp/kinder-initdb.XXXXXX)
  # initdb reads the superuser password from a file; the file lives (briefly) in the 0700 base dir.
  # shellcheck disable=SC2016 # $1 is expanded by that sh
  printf '%s\n' "$password" | as_postgres sh -c 'umask 077 && cat >"$1"' sh "$base/pwfile"
  if ! as_postgres "$KINDER_PG_BIN/initdb" -D "$base/data" -U postgres -E UTF8 --locale=C.UTF-8 \
    --auth-local=peer --auth-host=scram-sha-256 --pwfile="$base/pwfile" >"$log" 2>&1; then
    as_postgres rm -f "$base/pwfile"
    cat "$log" >&2
    die "initdb failed"
  fi
  as_postgres rm -f "$base/pwfile"
  rm -f "$log"
}

# pg_start NAME BASE PORT SOCKDIR [-c name=value]...: run postgres in the foreground of its own
# process group (logging to stderr, which spawn prefixes or writes to a file) and wait until it
# accepts connections.
pg_start() {
  local name=$1 base=$2 port=$3 sock=$4
  shift 4
  [[ -x $KINDER_PG_BIN/postgres ]] || die "no PostgreSQL binaries in $KINDER_PG_BIN"
  info "Starting PostgreSQL on 127.0.0.1:$port (data: $base/data)"
  SPAWN_NOTE="$base/data" spawn "$name" / "${AS_POSTGRES[@]}" "$KINDER_PG_BIN/postgres" \
    -D "$base/data" -c listen_addresses=127.0.0.1 -c "port=$port" \
    -c "unix_socket_directories=$sock" -c logging_collector=off "$@"
  wait_for "PostgreSQL ($name)" 60 "${KINDER_PIDS[$name]}" \
    "$KINDER_PG_BIN/pg_isready" -q -h 127.0.0.1 -p "$port"
}

# pg_admin SOCKDIR PORT: psql as the postgres superuser over the socket (peer auth), SQL on stdin.
pg_admin() {
  as_postgres "$KINDER_PG_BIN/psql" -X -q -v ON_ERROR_STOP=1 -h "$1" -p "$2" -d postgres
}

# pg_ensure_db SOCKDIR PORT PASSWORD DB: the password follows KINDER_PG_PASSWORD even if it changed
# since initdb; the database is created once (its extensions come from EF migrations).
pg_ensure_db() {
  local sock=$1 port=$2 password=$3 db=$4 sql
  sql="ALTER ROLE postgres PASSWORD '${password//\'/\'\'}';"$'\n'
  sql+="SELECT 'CREATE DATABASE $db' WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = '$db')"$'\\gexec\n'
  pg_admin "$sock" "$port" <<<"$sql" || die "could not set up database $db"
  # Check the very connection the services will use: TCP, password.
  PGPASSWORD=$password PGCONNECT_TIMEOUT=5 "$KINDER_PG_BIN/psql" -X -qAt -h 127.0.0.1 -p "$port" \
    -U postgres -d "$db" -c 'SELECT 1' >/dev/null || die "cannot log in to $db over TCP with the password"
}

# pg_stop DATADIR: fast shutdown (disconnect clients, no waiting for them), as postgres.
pg_stop() {
  as_postgres test -f "$1/postmaster.pid" 2>/dev/null || return 0
  as_postgres "$KINDER_PG_BIN/pg_ctl" stop -D "$1" -m fast -w -t 60 >/dev/null ||
    warn "pg_ctl stop failed for $1"
}

# pg_conn_string PORT DB PASSWORD: the Npgsql connection string services and tests receive.
pg_conn_string() {
  printf 'Host=127.0.0.1;Port=%s;Database=%s;Username=postgres;Password=%s' "$1" "$2" "$3"
}

# check_password VALUE KNOB: characters that would need quoting in a connection string are refused
# rather than quoted, so that the string printed for people is exactly the one the services use.
check_password() {
  [[ -n $1 && $1 != *[\;\'\"[:space:]]* ]] || die "$2 must be non-empty, without ; ' \" or spaces"
}
