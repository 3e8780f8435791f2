#!/usr/bin/env bash
# Starvation: `pitwall serve` under a 1,024-descriptor limit (as the issue's reporter ran it)
# while an attacker holds 2,000 idle and 2,000 slow-header connections open (reopening each
# one the server closes, bench/starve_attack.py); a normal client (wrk, 4 keep-alive
# connections, GET /api/sessions) must keep getting answers within 50 ms at the 99th
# percentile. Also measures the same client with no attacker, for reference.
#
#   bash bench/starve.sh [SECONDS]     (default 10; IDLE=2000 SLOW=2000 FDS=1024;
#                                       PITWALL_BIN=… to measure another build)
#
# Installs wrk from Debian when missing. Everything runs on 127.0.0.1 in a temporary
# directory removed at the end.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-10}
idle=${IDLE:-2000}
slow=${SLOW:-2000}
fds=${FDS:-1024}

# shellcheck source=bench/lib.sh
. bench/lib.sh
need_wrk
pitwall_bin

scratch

echo "== pitwall serve with ulimit -n $fds (release, rate limit off, no collector)"
mkdir -p "$work/data"
(ulimit -n "$fds" && exec "$bin" serve --data-dir "$work/data" --listen 127.0.0.1:0 \
  --rate-limit 0 --collect=false) 2>"$work/serve.log" &
pids+=($!)
wait_for_address "$work/serve.log"
sleep 0.5
echo "pitwall on $address; $(grep -o 'serving at most [0-9]* connections' "$work/serve.log" || echo "connection cap as configured")"

# wrk's p99 (ms), requests/s and errors.
measure() {
  local out
  out=$(wrk -t1 -c4 -d"${seconds}s" --timeout 5s --latency "http://$address/api/sessions")
  local rps p99 errors
  rps=$(awk '/^Requests\/sec:/ {print $2}' <<<"$out")
  p99=$(awk '$1 == "99%" {v=$2; if (v ~ /us$/) {sub(/us/,"",v); v=v/1000} else if (v ~ /ms$/) {sub(/ms/,"",v)} else if (v ~ /s$/) {sub(/s/,"",v); v=v*1000}; print v}' <<<"$out")
  errors=$(awk '/Socket errors|Non-2xx/ {printf "%s ", $0}' <<<"$out")
  echo "$rps $p99 ${errors:-none}"
}

echo "== normal client alone, ${seconds} s"
read -r base_rps base_p99 base_errors < <(measure)
printf "alone:          %8.0f req/s  p99 %7.2f ms  errors: %s\n" "$base_rps" "$base_p99" "$base_errors"

echo "== attacker: $idle idle + $slow slow-header connections"
need=$((idle + slow + 64))
[ "$(ulimit -Hn)" = unlimited ] || [ "$(ulimit -Hn)" -ge "$need" ] \
  || { echo "the attacker needs $need descriptors; the hard limit is $(ulimit -Hn)" >&2; exit 1; }
(ulimit -n "$need" && exec python3 -u bench/starve_attack.py "$address" "$idle" "$slow") \
  >"$work/attack.log" 2>&1 &
pids+=($!)
# Let the attacker open everything and the server start shedding.
sleep 5
tail -n 1 "$work/attack.log" || true
echo "== normal client under attack, ${seconds} s"
read -r rps p99 errors < <(measure)
tail -n 1 "$work/attack.log" || true
printf "under attack:   %8.0f req/s  p99 %7.2f ms  errors: %s\n" "$rps" "$p99" "$errors"
echo "server warnings: $(grep -c WARN "$work/serve.log" || true) (last: $(grep WARN "$work/serve.log" | tail -n 1 | cut -c1-200))"
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
awk -v p="$p99" 'BEGIN { printf "\np99 under attack: %.2f ms (target <= 50 ms): %s\n", p, (p <= 50 ? "met" : "NOT met") }'
