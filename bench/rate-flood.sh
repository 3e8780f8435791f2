#!/usr/bin/env bash
# Rate limiter under a flood of spoofed addresses: `pitwall serve --trust-proxy 1` (one
# proxy in front, which appends the client's address to X-Forwarded-For) and a normal client
# (wrk, 4 connections, always the same address) on GET /api/sessions: its requests/s on a
# fresh server and on a second one that first took FLOOD (default 100,000) requests each
# from a distinct address (each a new bucket), measured alternately for ROUNDS rounds;
# medians. Target: the flooded server within 10 % of the fresh one.
# The limit is set high (--rate-limit 4000000000) so that the normal client is never
# refused: the cost of the limiter, not its answers, is measured.
#
#   bash bench/rate-flood.sh [SECONDS]    (default 5 per measurement; ROUNDS=5;
#                                          FLOOD=100000; PITWALL_BIN=… for another build;
#                                          FLOOD_DISTINCT=1: a control run, the same
#                                          requests all from one address)
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-5}
rounds=${ROUNDS:-5}
flood=${FLOOD:-100000}

# shellcheck source=bench/lib.sh
. bench/lib.sh
need_wrk
pitwall_bin

scratch

# The normal client: always 198.51.100.1 behind the proxy.
cat >"$work/normal.lua" <<'LUA'
wrk.headers["X-Forwarded-For"] = "203.0.113.200, 198.51.100.1"
LUA
# The flood: every request from a new address (the client also spoofs a first entry).
cat >"$work/flood.lua" <<'LUA'
local threads = {}
function setup(thread)
  thread:set("id", #threads)
  table.insert(threads, thread)
end
function init(args)
  n = 0
  step = tonumber(os.getenv("FLOOD_THREADS") or "2")
  distinct = tonumber(os.getenv("FLOOD_DISTINCT") or "0")
end
function request()
  local i = n * step + id
  if distinct > 0 then i = i % distinct end
  n = n + 1
  local addr = string.format("10.%d.%d.%d", math.floor(i / 65536) % 256, math.floor(i / 256) % 256, i % 256)
  wrk.headers["X-Forwarded-For"] = "6.6.6.6, " .. addr
  return wrk.format(nil, "/api/sessions")
end
function done(summary, latency, requests)
  io.write(string.format("flood: %d requests\n", summary.requests))
end
LUA

start_server() {
  local log=$1 data=$2
  mkdir -p "$data"
  "$bin" serve --data-dir "$data" --listen 127.0.0.1:0 --collect=false \
    --trust-proxy 1 --rate-limit 4000000000 2>"$log" &
  pids+=($!)
  wait_for_address "$log"
}

normal() {
  local out
  out=$(wrk -t1 -c4 -d"${seconds}s" -s "$work/normal.lua" "http://$1/api/sessions")
  awk '/^Requests\/sec:/ {print $2}' <<<"$out"
  awk '/Non-2xx|Socket errors/' <<<"$out" >&2
}

# Two servers side by side, measured alternately so that the machine's changing load
# weighs on both alike: one fresh, one flooded first.
start_server "$work/fresh.log" "$work/fresh"
fresh_address=$address
start_server "$work/flooded.log" "$work/flooded"
flooded_address=$address
for a in "$fresh_address" "$flooded_address"; do
  wrk -t1 -c4 -d1s -s "$work/normal.lua" "http://$a/api/sessions" >/dev/null # warm up
done
# Flood until FLOOD requests from distinct addresses have been seen (2 threads, 32
# connections).
sent=0
while [ "$sent" -lt "$flood" ]; do
  out=$(FLOOD_THREADS=2 FLOOD_DISTINCT=${FLOOD_DISTINCT:-0} wrk -t2 -c32 -d3s -s "$work/flood.lua" "http://$flooded_address/api/sessions")
  sent=$((sent + $(awk '/^flood:/ {s += $2} END {print s + 0}' <<<"$out")))
done
echo "flooded server: $sent requests from ${FLOOD_DISTINCT:-distinct} addresses"
results=()
for round in $(seq 1 "$rounds"); do
  if [ $((round % 2)) = 1 ]; then
    fresh=$(normal "$fresh_address"); flooded=$(normal "$flooded_address")
  else
    flooded=$(normal "$flooded_address"); fresh=$(normal "$fresh_address")
  fi
  printf "round %d: fresh %8.0f req/s | flooded %8.0f req/s (%.0f %%)\n" \
    "$round" "$fresh" "$flooded" "$(awk -v a="$flooded" -v b="$fresh" 'BEGIN {print 100 * a / b}')"
  results+=("$fresh $flooded")
done
printf "%s\n" "${results[@]}" | awk -v loadavg="$(cut -d' ' -f1-3 /proc/loadavg)" '
  { f[NR] = $1; g[NR] = $2; r[NR] = 100 * $2 / $1 }
  function median(a, k,   i, j, t, c) {
    c = 0; for (i in a) { c++; s[c] = a[i] }
    for (i = 1; i <= c; i++) for (j = i + 1; j <= c; j++) if (s[j] < s[i]) { t = s[i]; s[i] = s[j]; s[j] = t }
    return s[int((c + 1) / 2)]
  }
  END {
    printf "\nmedians over %d rounds (load average at the end: %s)\n", NR, loadavg
    printf "fresh server:                  %8.0f req/s\n", median(f)
    printf "after the spoofed flood:       %8.0f req/s\n", median(g)
    ratio = 100 * median(g) / median(f)
    printf "ratio: %.0f %% (target >= 90 %%): %s\n", ratio, (ratio >= 90 ? "met" : "NOT met")
  }'
