#!/usr/bin/env bash
# Browser tests of the web dashboard in real headless Chromium.
#
# Installs Debian's chromium if it is missing (never a downloaded browser) and the test's npm
# packages (`npm ci` in tests/browser, with PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1), then starts
# `pitwall run` (collector and server) on a free local port, drives the simulator through
# tests/browser/scenario.txt, and runs tests/browser/dashboard.test.mjs against it.
# Screenshots of every page land in target/browser-screenshots/.
#
# Builds nothing: PITWALL_BIN is the pitwall binary to test (default target/debug/pitwall).
# PITWALL_SIM_SPEED sets the simulation speed (default 10).
set -euo pipefail

root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
bin=${PITWALL_BIN:-target/debug/pitwall}
speed=${PITWALL_SIM_SPEED:-10}
shots=${PITWALL_SCREENSHOTS:-$root/target/browser-screenshots}

if [ ! -x "$bin" ]; then
    echo "browser.sh: no pitwall binary at $bin (cargo build first, or set PITWALL_BIN)" >&2
    exit 1
fi
bin=$(cd "$(dirname "$bin")" && pwd)/$(basename "$bin")

if [ ! -x /usr/bin/chromium ]; then
    echo "browser.sh: installing Debian's chromium"
    sudo=""
    [ "$(id -u)" = 0 ] || sudo=sudo
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq chromium >/dev/null
fi

export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1
(cd tests/browser && npm ci --no-audit --no-fund --loglevel=error)

work=$(mktemp -d)
pids=()
cleanup() {
    for pid in "${pids[@]}"; do
        kill "$pid" 2>/dev/null || true
    done
    for pid in "${pids[@]}"; do
        wait "$pid" 2>/dev/null || true
    done
    rm -rf "$work"
}
trap cleanup EXIT

mkdir -p "$work/shm" "$work/data" "$shots"
rm -f "$shots"/*.png
port=$(node -e "const s = require('net').createServer().listen(0, '127.0.0.1', () => { console.log(s.address().port); s.close(); });")

"$bin" run --shm-dir "$work/shm" --data-dir "$work/data" --listen "127.0.0.1:$port" \
    >"$work/run.log" 2>&1 &
pids+=($!)
# The server first, so the live page can be open before the first lap ends.
for _ in $(seq 1 100); do
    if node -e "fetch('http://127.0.0.1:$port/').then(r => process.exit(r.ok ? 0 : 1), () => process.exit(1))"; then
        break
    fi
    sleep 0.2
done
"$bin" simulate --shm-dir "$work/shm" --scenario tests/browser/scenario.txt --speed "$speed" \
    >"$work/simulate.log" 2>&1 &
pids+=($!)

status=0
PITWALL_URL="http://127.0.0.1:$port" PITWALL_SCREENSHOTS="$shots" \
    node --test --test-reporter=spec tests/browser/dashboard.test.mjs || status=$?

if [ "$status" != 0 ]; then
    echo "--- pitwall run log (last 40 lines)"
    tail -n 40 "$work/run.log" || true
    echo "--- pitwall simulate log"
    tail -n 20 "$work/simulate.log" || true
fi
echo "screenshots: $shots"
exit "$status"
