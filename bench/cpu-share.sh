#!/usr/bin/env bash
# CPU share of the simulator and of a reader running together at full rate (physics 400 Hz,
# graphics 60 Hz): `pitwall simulate` writes bridge-style page files into a private
# directory, `pitwall watch` (the live reader: polls, copies with the torn-read check,
# decodes) and `pitwall record` (reader + recorder) read them. CPU time comes from
# /proc/PID/stat (utime + stime) over the measurement window.
#
#   bash bench/cpu-share.sh [SECONDS]      (default 60)
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-60}
cargo build --release -q -p pitwall
bin=target/release/pitwall
dir=$(mktemp -d -p /dev/shm pitwall-bench-XXXXXX 2>/dev/null || mktemp -d)
out=$(mktemp)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$dir" "$out"' EXIT

ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
hz=$(getconf CLK_TCK)

"$bin" simulate --shm-dir "$dir" >/dev/null 2>&1 &
sim=$!
sleep 1
"$bin" watch --shm-dir "$dir" >/dev/null 2>&1 &
watch=$!
"$bin" record --shm-dir "$dir" --out "$out" >/dev/null 2>&1 &
rec=$!
sleep 2 # let everything settle

s0=$(ticks $sim); w0=$(ticks $watch); r0=$(ticks $rec); t0=$(date +%s.%N)
sleep "$seconds"
s1=$(ticks $sim); w1=$(ticks $watch); r1=$(ticks $rec); t1=$(date +%s.%N)

pct() { awk -v a="$1" -v b="$2" -v hz="$hz" -v t0="$t0" -v t1="$t1" \
  'BEGIN { printf "%.2f", 100 * (b - a) / hz / (t1 - t0) }'; }
echo "window: ${seconds} s at full rate (physics 400 Hz, graphics 60 Hz); % of one core"
echo "simulator (pitwall simulate):           $(pct "$s0" "$s1") %"
echo "reader    (pitwall watch):              $(pct "$w0" "$w1") %"
echo "reader + recorder (pitwall record):     $(pct "$r0" "$r1") %"
