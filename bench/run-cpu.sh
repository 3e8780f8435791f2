#!/usr/bin/env bash
# CPU of `pitwall run` reading a game writing at physics 400 Hz and graphics 120 Hz, over
# SECONDS (default 60), from /proc/PID/stat (utime + stime), nobody watching the dashboard.
# Two writers, one after the other:
#  1. the built-in simulator (`pitwall simulate --physics-hz 400 --graphics-hz 120`);
#  2. bench/page_writer.py, a writer sharing no code with pitwall, replaying the real capture
#     ($PITWALL_REAL_DATA/shm/raceiq-brands-hatch-outlap.acctest.gz; skipped without it).
#
#   bash bench/run-cpu.sh [SECONDS]
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-60}
. bench/lib.sh
pitwall_bin
hz=$(getconf CLK_TCK)
pct() { awk -v a="$1" -v b="$2" -v hz="$hz" -v t="$3" 'BEGIN { printf "%.2f", 100 * (b - a) / hz / t }'; }

measure() { # $1: label; the writer is already running into $shm
  local data log run t0 t1 r0 r1 w0 w1
  data=$(mktemp -d)
  log=$(mktemp)
  PITWALL_LOG=info NO_COLOR=1 "$bin" run --shm-dir "$shm" --data-dir "$data" \
    --listen 127.0.0.1:0 2>"$log" &
  run=$!
  sleep 3 # attached, settled
  r0=$(ticks $run); w0=$(ticks $writer); t0=$(date +%s.%N)
  sleep "$seconds"
  r1=$(ticks $run); w1=$(ticks $writer); t1=$(date +%s.%N)
  local t
  t=$(awk -v a="$t0" -v b="$t1" 'BEGIN { print b - a }')
  echo "$1: pitwall run $(pct "$r0" "$r1" "$t") % of one core (writer $(pct "$w0" "$w1" "$t") %)"
  kill -INT $run; wait $run 2>/dev/null || true
  rm -rf "$data" "$log"
}

shm=$(mktemp -d -p /dev/shm pitwall-bench-XXXXXX 2>/dev/null || mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$shm"' EXIT
echo "window: ${seconds} s, physics 400 Hz, graphics 120 Hz"

"$bin" simulate --shm-dir "$shm" --physics-hz 400 --graphics-hz 120 >/dev/null 2>&1 &
writer=$!
sleep 1
measure "simulator        "
kill $writer; wait $writer 2>/dev/null || true
rm -f "$shm"/acpmf_*

capture=${PITWALL_REAL_DATA:-../shared/real-data}/shm/raceiq-brands-hatch-outlap.acctest.gz
if [ -f "$capture" ]; then
  python3 bench/page_writer.py "$capture" "$shm" 400 120 &
  writer=$!
  sleep 1
  measure "independent writer"
else
  echo "independent writer: skipped ($capture not found; set PITWALL_REAL_DATA)"
fi
