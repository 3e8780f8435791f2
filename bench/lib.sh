# Helpers shared by the benchmarks (bench/rate-flood.sh, bench/starve.sh, bench/run-cpu.sh).
# Sourced from the repository root, never run on its own.

# CPU time of process $1 so far, in clock ticks (utime + stime of /proc/PID/stat).
ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }

# Installs wrk from Debian when it is missing.
need_wrk() {
  if ! command -v wrk >/dev/null 2>&1; then
    echo "installing wrk (Debian package)" >&2
    local sudo
    if [ "$(id -u)" = 0 ]; then sudo=""; else sudo="sudo"; fi
    $sudo apt-get update -qq >/dev/null
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq wrk >/dev/null
  fi
}

# Sets `bin`: $PITWALL_BIN, or else a release build of pitwall (built here).
pitwall_bin() {
  export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-target}
  if [ -z "${PITWALL_BIN:-}" ]; then
    cargo build --release -q -p pitwall --bin pitwall
    bin=$CARGO_TARGET_DIR/release/pitwall
  else
    bin=$PITWALL_BIN
  fi
}

# Waits (at most 60 s) until the server logging to the file $1 says where it serves, and
# sets `address` (HOST:PORT); shows the log and exits when it never does.
wait_for_address() {
  local log=$1
  address=""
  for _ in $(seq 1 600); do
    address=$(grep -o 'serving on http://[0-9.:]*' "$log" | sed 's|serving on http://||' || true)
    [ -n "$address" ] && break
    sleep 0.1
  done
  [ -n "$address" ] || { cat "$log"; echo "pitwall did not start" >&2; exit 1; }
}

# Makes the scratch directory `work` and the list `pids` of background processes; at exit
# the processes are killed and `work` is removed (kept, and named, with KEEP=1).
scratch() {
  work=$(mktemp -d)
  pids=()
  trap cleanup EXIT
}

cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  if [ -n "${KEEP:-}" ]; then echo "kept $work"; else rm -rf "$work"; fi
}
