# Sourced by scripts that need a pitwall serving live timing (scripts/ci/tui-e2e.sh,
# bench/tui-cpu.sh). Not run on its own.
#
#   start_live_pitwall BIN DIR PORT SPEED [SCENARIO]
#
# starts a pitwall with live timing at http://127.0.0.1:PORT, its store in DIR/data and its
# pages (when it uses files) in DIR/shm, driving SCENARIO (or the endless drive) at SPEED:
# `pitwall demo` when it serves (it has --listen), else `pitwall run` fed by
# `pitwall simulate`. Adds the process ids to LIVE_PIDS, then waits until the port answers.

LIVE_PIDS=()

start_live_pitwall() {
    local bin=$1 dir=$2 port=$3 speed=$4 scenario=${5:-}
    local drive=()
    [[ -n $scenario ]] && drive=(--scenario "$scenario")
    mkdir -p "$dir/data" "$dir/shm"
    if "$bin" demo --help 2>/dev/null | grep -q -- '--listen'; then
        "$bin" demo --listen "127.0.0.1:$port" --data-dir "$dir/data" --speed "$speed" \
            "${drive[@]}" >"$dir/pitwall.log" 2>&1 &
        LIVE_PIDS+=($!)
    elif "$bin" run --help >/dev/null 2>&1; then
        "$bin" run --shm-dir "$dir/shm" --data-dir "$dir/data" --listen "127.0.0.1:$port" \
            >"$dir/pitwall.log" 2>&1 &
        LIVE_PIDS+=($!)
        "$bin" simulate --shm-dir "$dir/shm" --speed "$speed" "${drive[@]}" \
            >"$dir/simulate.log" 2>&1 &
        LIVE_PIDS+=($!)
    else
        echo "error: $bin has neither a serving 'pitwall demo' nor 'pitwall run'" >&2
        return 1
    fi
    local _
    for _ in $(seq 1 100); do
        if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
            return 0
        fi
        sleep 0.1
    done
    echo "error: nothing listens on 127.0.0.1:$port after 10 s; pitwall said:" >&2
    cat "$dir"/*.log >&2 || true
    return 1
}

stop_live_pitwall() {
    local pid
    for pid in "${LIVE_PIDS[@]}"; do
        kill "$pid" 2>/dev/null || true
    done
    for pid in "${LIVE_PIDS[@]}"; do
        wait "$pid" 2>/dev/null || true
    done
    LIVE_PIDS=()
}

# A TCP port nobody listens on (the kernel's pick, let go at once).
free_port() {
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])' 2>/dev/null \
        || echo $((20000 + RANDOM % 20000))
}
