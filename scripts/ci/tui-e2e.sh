#!/usr/bin/env bash
# End to end: `pitwall tui` in tmux against a running pitwall. A pitwall with live timing
# (`pitwall demo`, or `pitwall run` + `pitwall simulate`; see scripts/lib/live-pitwall.sh)
# drives scenarios/example.txt at 20×; the TUI must show the connection, then a completed
# lap's row on the live screen, then the sessions, a session's laps and the personal bests
# after key presses, and quit cleanly on `q`. A second TUI with NO_COLOR=1 must draw no
# colour. Screens are read with `tmux capture-pane`.
#
#   bash scripts/ci/tui-e2e.sh          PITWALL_BIN=path/to/pitwall (default target/debug/pitwall)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
source scripts/lib/live-pitwall.sh

bin=${PITWALL_BIN:-${CARGO_TARGET_DIR:-target}/debug/pitwall}
if [[ -z ${PITWALL_BIN:-} && ! -x $bin ]]; then
    cargo build -q -p pitwall
fi
[[ -x $bin ]] || { echo "error: no pitwall binary at $bin" >&2; exit 1; }
if ! command -v tmux >/dev/null; then
    apt-get update -qq && apt-get install -y -qq tmux >/dev/null
fi

dir=$(mktemp -d)
sock="pitwall-e2e-$$"
tm() { tmux -L "$sock" "$@"; }
cleanup() {
    tm kill-server 2>/dev/null || true
    stop_live_pitwall
    rm -rf "$dir"
}
trap cleanup EXIT
fail() {
    echo "FAILED: $*" >&2
    echo "--- screen ---" >&2
    tm capture-pane -p -t "${2:-tui}" >&2 || true
    echo "--- pitwall ---" >&2
    cat "$dir"/*.log >&2 || true
    exit 1
}

port=$(free_port)
url="http://127.0.0.1:$port"
start_live_pitwall "$bin" "$dir" "$port" 20 scenarios/example.txt

# Each TUI runs in its own tmux session, 100×30; its exit status lands in a file.
start_tui() {
    local name=$1; shift
    tm new-session -d -s "$name" -x 100 -y 30 \
        "env $* '$bin' tui --live '$url' --data-dir '$dir/data'; echo \$? >'$dir/$name.exit'; sleep 60"
}
screen() { tm capture-pane -p -t "$1"; }
# wait_for SESSION SECONDS EXTENDED-REGEX
wait_for() {
    local end=$((SECONDS + $2))
    while ((SECONDS < end)); do
        if screen "$1" | grep -Eq -- "$3"; then return 0; fi
        sleep 0.25
    done
    fail "no line matching /$3/ on the screen within $2 s" "$1"
}

start_tui tui TERM=xterm-256color
start_tui plain TERM=xterm-256color NO_COLOR=1

wait_for tui 20 '● LIVE from http://127\.0\.0\.1'
# A completed lap's row in the live table: number, time m:ss.mmm (the out-lap, 2:05.000).
lap_row='^ +[0-9]+ +.?[0-9]+:[0-9]{2}\.[0-9]{3}'
wait_for tui 60 "$lap_row"
echo "live screen with a completed lap:"
screen tui | grep -E "$lap_row" | head -n 3

# The store has it too: sessions, the session's laps, personal bests.
tm send-keys -t tui 2
wait_for tui 10 '^Sessions · [1-9]'
wait_for tui 10 'Brands Hatch'
tm send-keys -t tui Enter
wait_for tui 10 "^▶? +1 +.?2:05\.000"
tm send-keys -t tui 3
wait_for tui 10 '^Personal bests'
tm send-keys -t tui 1

# Without colour: marks, no colour codes (and the check does see colour in the other one).
wait_for plain 60 "$lap_row"
sgr_colour=$'\e\\[([0-9;]*;)?(3[0-7]|4[0-7]|9[0-7]|10[0-7]|38|48)[;m]'
tm capture-pane -e -p -t tui | grep -Eq "$sgr_colour" || fail "no colour in the coloured TUI" tui
if tm capture-pane -e -p -t plain | grep -Eq "$sgr_colour"; then
    fail "colour codes with NO_COLOR=1" plain
fi

for name in tui plain; do
    tm send-keys -t "$name" q
    for _ in $(seq 1 40); do [[ -f $dir/$name.exit ]] && break; sleep 0.25; done
    [[ -f $dir/$name.exit ]] || fail "pitwall tui did not quit on q" "$name"
    status=$(cat "$dir/$name.exit")
    [[ $status == 0 ]] || fail "pitwall tui exited with $status" "$name"
done
echo "tui-e2e: ok (live lap, sessions, laps, bests, NO_COLOR, quit)"
