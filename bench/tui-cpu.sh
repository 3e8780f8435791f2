#!/usr/bin/env bash
# CPU share of `pitwall tui` during live timing: a pitwall with live timing (`pitwall demo`,
# or `pitwall run` + `pitwall simulate`; see scripts/lib/live-pitwall.sh) drives the endless
# lap at real time, the TUI follows it in a 100×30 tmux pane, and its CPU time comes from
# /proc/PID/stat (utime + stime) over the window, once a lap is running on screen. The
# budget is 1 % of one core.
#
#   bash bench/tui-cpu.sh [SECONDS]       (default 60; PITWALL_BIN overrides the release build)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
source scripts/lib/live-pitwall.sh
seconds=${1:-60}

bin=${PITWALL_BIN:-}
if [[ -z $bin ]]; then
    cargo build --release -q -p pitwall
    bin=${CARGO_TARGET_DIR:-target}/release/pitwall
fi
command -v tmux >/dev/null || { apt-get update -qq && apt-get install -y -qq tmux >/dev/null; }

dir=$(mktemp -d)
sock="pitwall-bench-$$"
tm() { tmux -L "$sock" "$@"; }
trap 'tm kill-server 2>/dev/null || true; stop_live_pitwall; rm -rf "$dir"' EXIT

port=$(free_port)
start_live_pitwall "$bin" "$dir" "$port" 1
tm new-session -d -s tui -x 100 -y 30 \
    "echo \$\$ >'$dir/tui.pid'; exec '$bin' tui --live http://127.0.0.1:$port --data-dir '$dir/data'"

# Wait for a running lap on screen: the timer is ticking, so the TUI is redrawing.
for _ in $(seq 1 240); do
    tm capture-pane -p -t tui | grep -Eq '│Lap [0-9]+ +[0-9]+:[0-9]{2}\.[0-9]{3}' && break
    sleep 0.25
done
tm capture-pane -p -t tui | grep -Eq '│Lap [0-9]+ +[0-9]+:[0-9]{2}\.[0-9]{3}' || {
    echo "error: no running lap on the TUI's screen after 60 s" >&2
    tm capture-pane -p -t tui >&2
    exit 1
}
pid=$(cat "$dir/tui.pid")
ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
hz=$(getconf CLK_TCK)

c0=$(ticks "$pid"); t0=$(date +%s.%N)
first=$(tm capture-pane -p -t tui | grep -Eo '│Lap [0-9]+ +[0-9:.]+' | head -n 1)
sleep "$seconds"
c1=$(ticks "$pid"); t1=$(date +%s.%N)
last=$(tm capture-pane -p -t tui | grep -Eo '│Lap [0-9]+ +[0-9:.]+' | head -n 1)

pct=$(awk -v a="$c0" -v b="$c1" -v hz="$hz" -v t0="$t0" -v t1="$t1" \
    'BEGIN { printf "%.2f", 100 * (b - a) / hz / (t1 - t0) }')
echo "window: ${seconds} s of live timing at real time (lap timer ticking 10×/s); % of one core"
echo "on screen at the start: ${first#│}; at the end: ${last#│}"
echo "pitwall tui: $pct % (budget 1 %)"
awk -v p="$pct" 'BEGIN { exit !(p <= 1.0) }' || { echo "over budget" >&2; exit 1; }
