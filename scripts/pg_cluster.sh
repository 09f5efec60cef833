#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for the tests: `scripts/pg_cluster.sh start DIR` prints the
# URL to put in CALLCOACH_TEST_PG; `scripts/pg_cluster.sh stop DIR` ends it and removes DIR.
#
# The server runs as an unprivileged user (PostgreSQL refuses root) on a free local port, with
# trust authentication on 127.0.0.1 only: it holds nothing but test databases and lives only
# as long as the test run. When the server binaries are missing and we are root, they are
# installed from the system's packages (Debian: postgresql).
set -euo pipefail

action="${1:?usage: pg_cluster.sh start|stop DIR}"
dir="${2:?usage: pg_cluster.sh start|stop DIR}"

find_bin() {
    local candidate
    for candidate in /usr/lib/postgresql/*/bin; do
        [ -x "$candidate/initdb" ] && { echo "$candidate"; return 0; }
    done
    command -v initdb >/dev/null 2>&1 && { dirname "$(command -v initdb)"; return 0; }
    return 1
}

run_as() {
    # The cluster's owner: the caller when unprivileged, else the postgres (or nobody) user.
    if [ "$(id -u)" != 0 ]; then "$@"; return; fi
    local owner=postgres
    id -u postgres >/dev/null 2>&1 || owner=nobody
    su -s /bin/sh "$owner" -c "$(printf '%q ' "$@")"
}

case "$action" in
start)
    if ! bin="$(find_bin)"; then
        if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
            echo "pg_cluster: installing PostgreSQL from the system's packages" >&2
            apt-get update -qq >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >&2
            bin="$(find_bin)"
        else
            echo "pg_cluster: PostgreSQL server binaries not found (install the postgresql package)" >&2
            exit 1
        fi
    fi
    mkdir -p "$dir"
    chmod 0700 "$dir"
    [ "$(id -u)" = 0 ] && chown "$(id -u postgres >/dev/null 2>&1 && echo postgres || echo nobody)" "$dir"
    port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"
    run_as "$bin/initdb" -D "$dir/data" -A trust -U postgres --no-sync >"$dir/../pg-initdb.log" 2>&1 \
        || { cat "$dir/../pg-initdb.log" >&2; exit 1; }
    run_as "$bin/pg_ctl" -D "$dir/data" -w -l "$dir/server.log" \
        -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200" start >&2
    echo "postgresql+psycopg://postgres@127.0.0.1:$port"
    ;;
stop)
    if bin="$(find_bin)" && [ -d "$dir/data" ]; then
        run_as "$bin/pg_ctl" -D "$dir/data" -m immediate stop >/dev/null 2>&1 || true
    fi
    rm -rf "$dir"
    ;;
*)
    echo "usage: pg_cluster.sh start|stop DIR" >&2
    exit 2
    ;;
esac
