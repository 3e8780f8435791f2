#!/usr/bin/env bash
# schemathesis against /api/openapi.json of a running `pitwall serve`, on SQLite and on
# PostgreSQL (a fresh database of its own, dropped afterwards): every operation the spec
# describes is called with generated valid and invalid requests, and the run fails on any
# server error (5xx) or a server that stops answering.
#
# Installs schemathesis from PyPI into a venv of its own (kept in $PITWALL_CI_CACHE,
# default ~/.cache/pitwall-ci, so later runs reuse it). Ingest is called with a real token
# (made with `pitwall token create`) so that valid uploads reach the store too.
#
# Builds nothing: PITWALL_BIN is the pitwall binary to test (default target/debug/pitwall).
# PITWALL_TEST_POSTGRES_URL names the PostgreSQL server (default the local `test` database);
# PITWALL_SCHEMATHESIS_EXAMPLES (default 60) and PITWALL_SCHEMATHESIS_SECONDS (default 50,
# per backend) bound the run.
set -euo pipefail

root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
bin=${PITWALL_BIN:-target/debug/pitwall}
pg_url=${PITWALL_TEST_POSTGRES_URL:-postgres://postgres@127.0.0.1:5432/test}
examples=${PITWALL_SCHEMATHESIS_EXAMPLES:-60}
seconds=${PITWALL_SCHEMATHESIS_SECONDS:-50}
cache=${PITWALL_CI_CACHE:-$HOME/.cache/pitwall-ci}
version=4.32.5

if [ ! -x "$bin" ]; then
    echo "schemathesis.sh: no pitwall binary at $bin (cargo build -p pitwall first, or set PITWALL_BIN)" >&2
    exit 1
fi
bin=$(cd "$(dirname "$bin")" && pwd)/$(basename "$bin")

venv=$cache/schemathesis-$version
if [ ! -x "$venv/bin/schemathesis" ]; then
    echo "schemathesis.sh: installing schemathesis $version into $venv"
    mkdir -p "$cache"
    rm -rf "$venv"
    python3 -m venv "$venv"
    "$venv/bin/pip" install -q --disable-pip-version-check "schemathesis==$version"
fi

work=$(mktemp -d)
server_pid=""
pg_db=""
stop_server() {
    if [ -n "$server_pid" ]; then
        kill "$server_pid" 2>/dev/null || true
        wait "$server_pid" 2>/dev/null || true
        server_pid=""
    fi
}
cleanup() {
    stop_server
    if [ -n "$pg_db" ]; then
        psql "$pg_url" -qX -c "DROP DATABASE IF EXISTS $pg_db WITH (FORCE)" >/dev/null || true
    fi
    rm -rf "$work"
}
trap cleanup EXIT

free_port() {
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

# One backend: $1 is a label, the rest the store flags.
run_backend() {
    local label=$1
    shift
    local port log token
    log=$work/serve-$label.log
    token=$("$bin" token create --driver "Schema Tester" "$@" 2>/dev/null)
    port=$(free_port)
    "$bin" serve "$@" --listen "127.0.0.1:$port" --collect=false --rate-limit 0 \
        --shm-dir "$work/shm" >"$log" 2>&1 &
    server_pid=$!
    for _ in $(seq 1 100); do
        curl -fsS "http://127.0.0.1:$port/api/openapi.json" -o /dev/null 2>/dev/null && break
        sleep 0.1
    done
    echo "== schemathesis on $label (port $port)"
    local status=0
    "$venv/bin/schemathesis" run "http://127.0.0.1:$port/api/openapi.json" \
        --checks not_a_server_error \
        --exclude-path /api/live \
        --max-examples "$examples" \
        --max-time "$seconds" \
        --seed 11 \
        --request-timeout 10 \
        --workers 2 \
        --no-color \
        -H "Authorization: Bearer $token" || status=$?
    if ! kill -0 "$server_pid" 2>/dev/null; then
        echo "schemathesis.sh: pitwall serve on $label died; its log:" >&2
        cat "$log" >&2
        status=1
    fi
    stop_server
    if grep -q "ERROR" "$log"; then
        echo "schemathesis.sh: pitwall serve on $label logged errors:" >&2
        grep "ERROR" "$log" | head -n 20 >&2
        status=1
    fi
    if [ "$status" != 0 ]; then
        echo "schemathesis.sh: $label failed (server errors above); fix them, with a regression test" >&2
        return "$status"
    fi
}

mkdir -p "$work/shm" "$work/data"
run_backend sqlite --data-dir "$work/data"

pg_db=pitwall_schemathesis_$$_$RANDOM
psql "$pg_url" -qX -c "CREATE DATABASE $pg_db" >/dev/null
# The same server, the fresh database: replace the URL's path.
pg_fresh=$(python3 -c 'import sys, urllib.parse as u; p = u.urlsplit(sys.argv[1]); print(u.urlunsplit(p._replace(path="/" + sys.argv[2])))' "$pg_url" "$pg_db")
run_backend postgres --database-url "$pg_fresh"
echo "schemathesis.sh: no server error on SQLite or PostgreSQL"
