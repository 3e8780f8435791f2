#!/usr/bin/env bash
# Issue 11's disk-full figures for `pitwall serve` on SQLite: an 8 MB tmpfs data directory,
# one client POSTing one lap per request to /api/ingest (each lap retried until answered
# 200, as the uploader does), the disk filled for FILL seconds (default 5) and freed.
# Reports, per round: laps acknowledged (200), uploads refused and with which statuses,
# acknowledged laps missing after a restart (must be 0), and the time from freeing the
# space to the first 200 (must be at most 2 s). Needs root (mount), curl and python3.
#
#   sudo bash bench/disk-full.sh [ROUNDS] [FILL]
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-3}
fill_s=${2:-5}
cargo build -q -p pitwall
bin=${PITWALL_BIN:-$PWD/target/debug/pitwall}
work=$(mktemp -d)
mnt=$work/mnt
mkdir -p "$mnt"
cleanup() {
  kill $(jobs -p) 2>/dev/null || true
  wait 2>/dev/null || true
  umount -l "$mnt" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

round() { # $1: round number
  mount -t tmpfs -o size=8m,mode=0700 tmpfs "$mnt"
  local data=$mnt/data log=$work/serve.log
  local token
  token=$(PITWALL_LOG=warn "$bin" token create --driver Bench --data-dir "$data" 2>/dev/null)
  PITWALL_LOG=info NO_COLOR=1 "$bin" serve --listen 127.0.0.1:0 --collect=false --rate-limit 0 \
    --data-dir "$data" 2>"$log" &
  local server=$!
  local addr=""
  for _ in $(seq 100); do
    addr=$(grep -o 'http://127.0.0.1:[0-9]*' "$log" | head -1 || true)
    [ -n "$addr" ] && break
    sleep 0.1
  done
  [ -n "$addr" ] || { echo "serve did not start"; cat "$log"; exit 1; }
  local events=$work/events
  : >"$events"
  python3 - "$addr" "$token" "$events" "$work/stop" <<'PY' &
import json, os, sys, time, urllib.request, urllib.error
addr, token, events, stop = sys.argv[1:]
n = 1
with open(events, "a") as out:
    while not os.path.exists(stop):
        start = 1_717_149_600_000
        t = 80_000 + n
        done = start + n * 100_000
        body = {"session": {"id": "00000000000000b1", "track": "monza", "car": "ferrari_296_gt3",
                "session_type": 0, "session_type_label": "PRACTICE", "driver": "Bench",
                "sector_count": 3, "session_index": 0, "started_at_ms": start,
                "sm_version": "1.9", "ac_version": "1.10.2", "online": False,
                "joined_late": False, "conditions": None},
                "ended_at_ms": None,
                "laps": [{"id": "%016x" % (0xb10000 + n), "session_id": "00000000000000b1",
                          "number": n, "time_ms": t, "sectors": [26_000, 27_000, t - 53_000],
                          "valid": True, "invalid_sector": None, "out_lap": False,
                          "in_lap": False, "partial": False,
                          "started_at_ms": done - t, "completed_at_ms": done}]}
        req = urllib.request.Request(addr + "/api/ingest", data=json.dumps(body).encode(),
                                     headers={"Content-Type": "application/json",
                                              "Authorization": "Bearer " + token})
        try:
            with urllib.request.urlopen(req, timeout=15) as r:
                status = r.status
        except urllib.error.HTTPError as e:
            status = e.code
        except Exception:
            status = 0
        out.write(f"{time.time():.6f} {status} {t}\n")
        out.flush()
        if status == 200:
            n += 1
        else:
            time.sleep(0.05)
PY
  local client=$!
  sleep 1
  # Fill to the last byte.
  dd if=/dev/zero of="$mnt/filler" bs=64k 2>/dev/null || true
  dd if=/dev/zero of="$mnt/filler" bs=1 oflag=append conv=notrunc 2>/dev/null || true
  sleep "$fill_s"
  rm -f "$mnt/filler"
  local freed
  freed=$(date +%s.%N)
  sleep 3
  touch "$work/stop"
  wait "$client"
  rm -f "$work/stop"
  kill -TERM "$server"
  wait "$server" || true
  local stored=$work/stored.json
  PITWALL_LOG=warn "$bin" export --data-dir "$data" -o "$stored"
  python3 - "$events" "$stored" "$freed" "$1" <<'PY'
import collections, json, sys
events, stored, freed, n = sys.argv[1], sys.argv[2], float(sys.argv[3]), sys.argv[4]
acked, statuses, first = set(), collections.Counter(), None
for line in open(events):
    at, status, t = line.split()
    at, status, t = float(at), int(status), int(t)
    if status == 200:
        acked.add(t)
        if at >= freed and first is None:
            first = at - freed
    else:
        statuses[status] += 1
doc = json.load(open(stored))
times = {lap["time_ms"] for s in doc["sessions"] for lap in s["laps"]}
lost = sorted(acked - times)
print(f"round {n}: {len(acked)} laps acknowledged, refused {dict(statuses)}, "
      f"{len(lost)} acknowledged laps lost, first 200 {first:.3f} s after space returned"
      if first is not None else f"round {n}: no 200 after space returned")
PY
  umount "$mnt"
}

for i in $(seq "$rounds"); do
  round "$i"
done
