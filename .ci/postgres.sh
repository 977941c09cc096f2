# A throw-away PostgreSQL server for the test run. Source this file, then `pg_start` and `pg_stop`.
#
# pg_start installs Debian's `postgresql` if no server binaries are present, initialises a cluster in a
# temporary directory (owned by the `postgres` user when running as root: the server refuses to run as
# root), starts it on 127.0.0.1 on a free port with password authentication, creates a database and
# exports BILLBOT_TEST_POSTGRES_URL. The URL carries a random password: it is never printed.
# pg_stop stops the server and removes the directory; it is safe to call twice.

pg__bin_dir() {
    ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1
}

pg__as_owner() {
    # Run a command as the cluster's owner: `postgres` when we are root, else ourselves.
    if [ "$(id -u)" -eq 0 ]; then
        runuser -u postgres -- "$@"
    else
        "$@"
    fi
}

pg__install() {
    local bin_dir
    bin_dir="$(pg__bin_dir)"
    if [ -n "$bin_dir" ] && [ -x "$bin_dir/initdb" ] && [ -x "$bin_dir/pg_ctl" ]; then
        return 0
    fi
    echo "postgres: installing Debian's postgresql package"
    local sudo=()
    if [ "$(id -u)" -ne 0 ]; then
        sudo=(sudo -n)
    fi
    "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -qq
    "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
        postgresql >/dev/null
}

pg_start() {
    local started=$SECONDS
    pg__install
    PG__BIN="$(pg__bin_dir)"
    PG__DIR="$(mktemp -d "${TMPDIR:-/tmp}/billbot-pg.XXXXXX")"
    local port password
    port="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
    password="$(python3 -c 'import secrets; print(secrets.token_hex(16))')"
    umask 077
    printf '%s\n' "$password" >"$PG__DIR/pwfile"
    if [ "$(id -u)" -eq 0 ]; then
        id postgres >/dev/null 2>&1 || useradd --system --no-create-home postgres
        chown -R postgres "$PG__DIR"
    fi
    pg__as_owner "$PG__BIN/initdb" -D "$PG__DIR/data" -U billbot --pwfile="$PG__DIR/pwfile" \
        --auth-local=trust --auth-host=scram-sha-256 -E UTF8 --no-locale >"$PG__DIR/initdb.log" 2>&1 \
        || { cat "$PG__DIR/initdb.log" >&2; return 1; }
    rm -f "$PG__DIR/pwfile"
    # A test server: durability off (fsync) for speed; the data is thrown away at the end.
    pg__as_owner "$PG__BIN/pg_ctl" -D "$PG__DIR/data" -l "$PG__DIR/server.log" -w -t 60 \
        -o "-c listen_addresses=127.0.0.1 -p $port -k $PG__DIR -c fsync=off -c synchronous_commit=off \
            -c full_page_writes=off -c max_connections=200" start >/dev/null \
        || { cat "$PG__DIR/server.log" >&2; return 1; }
    pg__as_owner "$PG__BIN/createdb" -h "$PG__DIR" -p "$port" -U billbot billbot_test
    export BILLBOT_TEST_POSTGRES_URL="postgresql+psycopg://billbot:$password@127.0.0.1:$port/billbot_test"
    echo "postgres: $("$PG__BIN/postgres" --version) on 127.0.0.1:$port, ready in $((SECONDS - started)) s"
}

pg_stop() {
    if [ -n "${PG__DIR:-}" ] && [ -d "$PG__DIR" ]; then
        pg__as_owner "$PG__BIN/pg_ctl" -D "$PG__DIR/data" -m fast -w stop >/dev/null 2>&1 || true
        rm -rf "$PG__DIR"
    fi
    PG__DIR=""
}
