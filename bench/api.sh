#!/usr/bin/env bash
# API throughput: `GET /api/sessions` (the original tracker's page, 20 sessions with laps and
# sectors) from `pitwall serve` on a store of 100,000 laps in 5,000 sessions, against nginx
# serving the same JSON body as a static file, both on loopback at 64 connections with wrk.
# Reports requests/s of each, their ratio (target: pitwall at least 50 % of nginx) and the
# 99th-percentile latency (target: at most 5 ms for pitwall).
#
#   bash bench/api.sh [SECONDS]      (default 10 per measurement; ROUNDS=3 rounds, medians; THREADS=2 wrk threads)
#
# Installs wrk and nginx from Debian when missing (apt-get). Everything runs on 127.0.0.1,
# in a temporary directory removed at the end; nginx runs as this user with its own config.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-10}
rounds=${ROUNDS:-3}
connections=64
threads=${THREADS:-2}

need() { command -v "$1" >/dev/null 2>&1 || [ -x "/usr/sbin/$1" ]; }
if ! need wrk || ! need nginx; then
  echo "installing wrk and nginx (Debian packages)" >&2
  if [ "$(id -u)" = 0 ]; then sudo=""; else sudo="sudo"; fi
  $sudo apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq wrk nginx-light >/dev/null \
    || DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq wrk nginx >/dev/null
fi
nginx_bin=$(command -v nginx || echo /usr/sbin/nginx)

export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-target}
cargo build --release -q -p pitwall --bin pitwall
cargo build --release -q -p pitwall-store --example fill
bin=$CARGO_TARGET_DIR/release/pitwall
fill=$CARGO_TARGET_DIR/release/examples/fill

work=$(mktemp -d)
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

echo "== filling a store with 100,000 laps"
mkdir -p "$work/data"
"$fill" "$work/data/pitwall.db"

echo "== starting pitwall serve (release, rate limit off, no collector)"
"$bin" serve --data-dir "$work/data" --listen 127.0.0.1:0 --rate-limit 0 --collect=false \
  2>"$work/serve.log" &
pids+=($!)
address=""
for _ in $(seq 1 100); do
  address=$(grep -o 'serving on http://[0-9.:]*' "$work/serve.log" | sed 's|serving on http://||' || true)
  [ -n "$address" ] && break
  sleep 0.1
done
[ -n "$address" ] || { cat "$work/serve.log"; echo "pitwall did not start" >&2; exit 1; }
echo "pitwall on $address"

mkdir -p "$work/www/api"
curl -fsS "http://$address/api/sessions" -o "$work/www/api/sessions"
bytes=$(stat -c %s "$work/www/api/sessions")
echo "GET /api/sessions: $bytes bytes of JSON"

# nginx started as root serves with an unprivileged worker: let it read the body.
chmod 755 "$work"
chmod -R a+rX "$work/www"
nginx_port=$(free_port)
mkdir -p "$work/nginx"
cat >"$work/nginx/nginx.conf" <<CONF
worker_processes auto;
pid $work/nginx/nginx.pid;
error_log $work/nginx/error.log warn;
daemon off;
events { worker_connections 1024; }
http {
  access_log off;
  sendfile on;
  tcp_nopush on;
  keepalive_requests 1000000;
  client_body_temp_path $work/nginx/body;
  proxy_temp_path $work/nginx/proxy;
  fastcgi_temp_path $work/nginx/fastcgi;
  uwsgi_temp_path $work/nginx/uwsgi;
  scgi_temp_path $work/nginx/scgi;
  types { application/json json; }
  server {
    listen 127.0.0.1:$nginx_port;
    root $work/www;
    location = /api/sessions { default_type application/json; }
  }
}
CONF
"$nginx_bin" -c "$work/nginx/nginx.conf" -p "$work/nginx" &
pids+=($!)
for _ in $(seq 1 50); do
  curl -fsS -o /dev/null "http://127.0.0.1:$nginx_port/api/sessions" 2>/dev/null && break
  sleep 0.1
done
cmp -s <(curl -fsS "http://127.0.0.1:$nginx_port/api/sessions") "$work/www/api/sessions" \
  || { echo "nginx does not serve the body" >&2; exit 1; }

# wrk's summary: requests/s and the 99th percentile (in ms).
measure() {
  local url=$1 out
  wrk -t"$threads" -c"$connections" -d2s "$url" >/dev/null # warm up
  out=$(wrk -t"$threads" -c"$connections" -d"${seconds}s" --latency "$url")
  local rps p99
  rps=$(awk '/^Requests\/sec:/ {print $2}' <<<"$out")
  p99=$(awk '$1 == "99%" {v=$2; if (v ~ /us$/) {sub(/us/,"",v); v=v/1000} else if (v ~ /ms$/) {sub(/ms/,"",v)} else if (v ~ /s$/) {sub(/s/,"",v); v=v*1000}; print v}' <<<"$out")
  local errors
  errors=$(awk '/Non-2xx|Socket errors/' <<<"$out")
  [ -z "$errors" ] || echo "  note: $errors" >&2
  echo "$rps $p99"
}

echo "== measuring: $rounds rounds of ${seconds} s each, nginx then pitwall, $connections connections, $threads wrk threads, loopback"
results=()
for round in $(seq 1 "$rounds"); do
  read -r nginx_rps nginx_p99 < <(measure "http://127.0.0.1:$nginx_port/api/sessions")
  read -r pitwall_rps pitwall_p99 < <(measure "http://$address/api/sessions")
  printf "round %d: nginx %8.0f req/s p99 %6.2f ms | pitwall %8.0f req/s p99 %6.2f ms\n" \
    "$round" "$nginx_rps" "$nginx_p99" "$pitwall_rps" "$pitwall_p99"
  results+=("$nginx_rps $nginx_p99 $pitwall_rps $pitwall_p99")
done

printf "%s\n" "${results[@]}" | awk -v b="$bytes" -v loadavg="$(cut -d' ' -f1-3 /proc/loadavg)" '
  { n[NR] = $1; np[NR] = $2; p[NR] = $3; pp[NR] = $4; r[NR] = 100 * $3 / $1 }
  function median(a, k,   i, j, t, c) {
    c = 0; for (i in a) { c++; s[c] = a[i] }
    for (i = 1; i <= c; i++) for (j = i + 1; j <= c; j++) if (s[j] < s[i]) { t = s[i]; s[i] = s[j]; s[j] = t }
    return s[int((c + 1) / 2)]
  }
  END {
    printf "\nmedians over %d rounds (load average before: %s)\n", NR, loadavg
    printf "%-30s %12s %12s\n", "GET /api/sessions (" b " B)", "requests/s", "p99 (ms)"
    printf "%-30s %12.0f %12.2f\n", "nginx (static file)", median(n), median(np)
    printf "%-30s %12.0f %12.2f\n", "pitwall serve", median(p), median(pp)
    ratio = median(r); pm = median(pp)
    printf "\npitwall / nginx: %.0f %% (target >= 50 %%): %s\n", ratio, (ratio >= 50 ? "met" : "NOT met")
    printf "pitwall p99: %.2f ms (target <= 5 ms): %s\n", pm, (pm <= 5 ? "met" : "NOT met")
  }'
