#!/usr/bin/env bash
# CI step: builds pitwall for Windows (x86_64-pc-windows-gnu) and runs the Windows
# shared-memory tests under Wine, headless.
#
#   bash scripts/ci/wine.sh
#
# Installs what is missing (as root, non-interactive): mingw-w64, Wine, the Rust target.
# Builds the ProcessPrng shim (tools/wine/), creates a throwaway Wine prefix under
# target/wine/prefix (reused when it exists; delete it for a fresh one), then runs
#   - cargo build -p pitwall            (the CLI, for Windows)
#   - the CLI's --help under Wine       (the Rust runtime starts)
#   - cargo test -p pitwall-acc --lib shm::windows and --test windows_shm, under Wine,
#   - pitwall.exe simulate + watch as two Windows processes,
#   - the CLI's service unit tests, and pitwall.exe as a Windows service under Wine's
#     service control manager (install, status, sc query, stop, start, uninstall).
# Exits non-zero on the first failure. Environment: CARGO_TARGET_DIR is honoured.
set -euo pipefail

started=$SECONDS
step() { printf '==> [wine %3ds] %s\n' "$((SECONDS - started))" "$*"; }
fail() { printf '==> [wine] FAILED: %s\n' "$*" >&2; exit 1; }

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
target_dir="${CARGO_TARGET_DIR:-$root/target}"
triple=x86_64-pc-windows-gnu

# --- Tools -----------------------------------------------------------------------------
find_wine() {
    if [[ -x /usr/lib/wine/wine64 ]]; then
        echo /usr/lib/wine/wine64
    elif command -v wine64 >/dev/null 2>&1; then
        command -v wine64
    fi
}

missing=()
command -v x86_64-w64-mingw32-gcc >/dev/null 2>&1 || missing+=(gcc-mingw-w64-x86-64)
[[ -n "$(find_wine)" ]] || missing+=(wine wine64)
if ((${#missing[@]})); then
    step "installing ${missing[*]} (apt-get)"
    sudo=()
    if [[ $(id -u) -ne 0 ]]; then
        command -v sudo >/dev/null 2>&1 || fail "need root (or sudo) to install ${missing[*]}"
        sudo=(sudo)
    fi
    export DEBIAN_FRONTEND=noninteractive
    "${sudo[@]}" apt-get update -qq
    # Install all three even when only one is missing: the versions stay consistent.
    "${sudo[@]}" apt-get install -y -qq gcc-mingw-w64-x86-64 wine wine64 >/dev/null
else
    step "mingw-w64 and Wine already installed"
fi
wine="$(find_wine)"
[[ -n "$wine" ]] || fail "wine64 not found after installing"
step "using $("$wine" --version 2>/dev/null || echo "$wine") and $(x86_64-w64-mingw32-gcc -dumpversion | sed 's/^/mingw gcc /')"

if command -v rustup >/dev/null 2>&1; then
    if ! rustup target list --installed | grep -qx "$triple"; then
        step "adding the Rust target $triple"
        rustup target add "$triple"
    fi
fi

# --- Shim and Wine prefix ------------------------------------------------------------------
step "building the ProcessPrng shim"
dll="$(tools/wine/build.sh "$target_dir/wine")"
step "shim: $dll"

export WINEDEBUG=-all
export WINEARCH=win64
export WINEPREFIX="$target_dir/wine/prefix"
# No display (headless) and no Mono/Gecko download prompts while the prefix is created.
export DISPLAY=
export WINEDLLOVERRIDES="mscoree,mshtml="
export WINE="$wine"
wineserver="$(dirname "$wine")/wineserver"
[[ -x "$wineserver" ]] || wineserver="$(command -v wineserver || true)"

# Wine writes .update-timestamp once wineboot has set the prefix up (the registry files
# follow when the wineserver exits).
if [[ -f "$WINEPREFIX/.update-timestamp" ]]; then
    step "reusing the Wine prefix $WINEPREFIX"
else
    step "creating the Wine prefix $WINEPREFIX (wineboot --init)"
    mkdir -p "$(dirname "$WINEPREFIX")"
    # Wine 8 without wine32 warns about syswow64; harmless for 64-bit programs.
    timeout 300 "$wine" wineboot --init >/dev/null 2>&1 || fail "wineboot --init"
    [[ -f "$WINEPREFIX/.update-timestamp" ]] || fail "wineboot did not set up $WINEPREFIX"
fi
stop_wineserver() {
    # Waits for this prefix's wineserver (started by the runs above) to exit by itself.
    if [[ -n "$wineserver" ]]; then
        timeout 30 "$wineserver" -w || true
    fi
}
trap stop_wineserver EXIT

# --- Build and test -----------------------------------------------------------------------
export CARGO_TARGET_X86_64_PC_WINDOWS_GNU_LINKER="${CARGO_TARGET_X86_64_PC_WINDOWS_GNU_LINKER:-x86_64-w64-mingw32-gcc}"
export CARGO_TARGET_X86_64_PC_WINDOWS_GNU_RUNNER="$root/tools/wine/runner.sh"

step "cargo build --target $triple -p pitwall"
cargo build --locked --target "$triple" -p pitwall || fail "building the CLI for Windows"

step "running pitwall.exe --help under Wine"
tools/wine/runner.sh "$target_dir/$triple/debug/pitwall.exe" --help >/dev/null ||
    fail "pitwall.exe does not run under Wine"

step "cargo test --target $triple -p pitwall-acc --lib shm::windows (under Wine)"
cargo test --locked --target "$triple" -p pitwall-acc --lib shm::windows ||
    fail "Windows unit tests"

step "cargo test --target $triple -p pitwall-acc --test windows_shm (under Wine)"
cargo test --locked --target "$triple" -p pitwall-acc --test windows_shm ||
    fail "Windows shared-memory tests"

step "pitwall.exe simulate + pitwall.exe watch, two Windows processes (under Wine)"
exe="$target_dir/$triple/debug/pitwall.exe"
e2e_log="$target_dir/wine/e2e-watch.log"
# Before the simulator runs there are no mappings: the reader waits for ACC.
if tools/wine/runner.sh "$exe" watch --once --timeout 2 >"$e2e_log" 2>&1; then
    fail "watch --once found pages before any simulator ran"
fi
grep -q "waiting for ACC" "$e2e_log" || { cat "$e2e_log"; fail "no 'waiting for ACC' before the simulator"; }
tools/wine/runner.sh "$exe" simulate --scenario scenarios/wine-e2e.txt --speed 25 \
    >"$target_dir/wine/e2e-sim.log" 2>&1 &
sim_pid=$!
tools/wine/runner.sh "$exe" watch --timeout 30 >"$e2e_log" 2>&1 || true
wait "$sim_pid" || { cat "$target_dir/wine/e2e-sim.log"; fail "pitwall.exe simulate failed"; }
for expected in "session started: PRACTICE at monza in ferrari_296_gt3 (driver Wine)" \
    "lap 2: 1:47.345  S1 " "lap 3: 1:48.500  S1 " "INVALID (S2)" "lap 4: 1:47.900  S1 " \
    "session ended (left the session)" "waiting for ACC"; do
    grep -qF "$expected" "$e2e_log" || { cat "$e2e_log"; fail "watch output lacks: $expected"; }
done
# Once the simulator exited and the reader let go of the stale pages, the mappings are gone.
tail -n 1 "$e2e_log" | grep -qF "no shared memory at Local" ||
    { cat "$e2e_log"; fail "the reader did not end in 'no shared memory' after the simulator exited"; }
step "the reader decoded the simulator's scripted laps, then saw the mappings go"

step "cargo test --target $triple -p pitwall --bin pitwall service (under Wine)"
cargo test --locked --target "$triple" -p pitwall --bin pitwall service ||
    fail "the service's Windows unit tests"

# --- pitwall.exe as a Windows service, under Wine's service control manager -----------------
# Wine's services.exe and the services it started live only as long as the wineserver, which
# exits a few seconds after the last ordinary Windows process; then the next Wine process
# starts services.exe again, which starts every auto-start service afresh. A "keeper" process
# (a reader waiting on an empty directory) holds the wineserver up for the whole section.
step "pitwall.exe as a Windows service: install, status, sc query, laps, stop, start, uninstall"
svc_dir='C:\pitwall-ci-service'
svc_host_dir="$WINEPREFIX/drive_c/pitwall-ci-service"
svc_log="$svc_host_dir/pitwall-service.log"
svc_port=18765
svc_out="$target_dir/wine/service.out"
rm -rf "$svc_host_dir"
mkdir -p "$target_dir/wine/keeper"
tools/wine/runner.sh "$exe" watch --timeout 600 --shm-dir "$target_dir/wine/keeper" \
    >/dev/null 2>&1 &
keeper_pid=$!
svc() { tools/wine/runner.sh "$exe" service "$@" >>"$svc_out" 2>&1; }
svc_fail() {
    echo "--- pitwall service output:"; cat "$svc_out"
    echo "--- the service's log:"; cat "$svc_log" 2>/dev/null || true
    svc uninstall || true
    kill "$keeper_pid" 2>/dev/null || true
    fail "$*"
}
: >"$svc_out"
svc uninstall || svc_fail "uninstalling a leftover service"
svc install --data-dir "$svc_dir" --listen "127.0.0.1:$svc_port" || svc_fail "service install"
grep -qF "started the service pitwall" "$svc_out" || svc_fail "install did not start the service"
svc status || svc_fail "service status"
grep -qE "^pitwall: running \(process [0-9]+\)" "$svc_out" || svc_fail "status does not say running"
grep -qF "service run --data-dir $svc_dir --listen 127.0.0.1:$svc_port" "$svc_out" ||
    svc_fail "status does not show the installed flags"
"$wine" sc query pitwall >"$target_dir/wine/sc-query.out" 2>&1 || true
grep -q "RUNNING" "$target_dir/wine/sc-query.out" ||
    { cat "$target_dir/wine/sc-query.out"; svc_fail "sc query does not say RUNNING"; }
# The service hosts the tracker: its server answers on the installed address, and it
# tracks the laps the simulator drives (Wine has one session, so it sees the mappings).
code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 5 "http://127.0.0.1:$svc_port/" || true)
[[ -n "$code" && "$code" != "000" ]] || svc_fail "nothing answers at 127.0.0.1:$svc_port"
tools/wine/runner.sh "$exe" simulate --scenario scenarios/wine-e2e.txt --speed 25 \
    >"$target_dir/wine/service-sim.log" 2>&1 || svc_fail "pitwall.exe simulate failed"
for _ in $(seq 1 50); do
    grep -qF "session ended" "$svc_log" 2>/dev/null && break
    sleep 0.2
done
for expected in "session started: " "(driver Wine)" "lap 2: 1:47.345  S1 " \
    "lap 4: 1:47.900  S1 " "session ended"; do
    grep -qF "$expected" "$svc_log" || svc_fail "the service's log lacks: $expected"
done
svc stop || svc_fail "service stop"
grep -qF "stopped the service pitwall" "$svc_out" || svc_fail "stop did not stop it"
grep -qF "service pitwall: stopped" "$svc_log" || svc_fail "the service did not stop cleanly"
svc status || svc_fail "service status after stop"
grep -qE "^pitwall: stopped" "$svc_out" || svc_fail "status does not say stopped"
svc start || svc_fail "service start"
grep -c "^started the service pitwall" "$svc_out" | grep -qx 2 || svc_fail "start did not start it"
svc uninstall || svc_fail "service uninstall"
grep -qF "removed the service pitwall" "$svc_out" || svc_fail "uninstall did not remove it"
svc status || svc_fail "service status after uninstall"
tail -n 1 "$svc_out" | grep -qF "not installed" || svc_fail "the service is still installed"
kill "$keeper_pid" 2>/dev/null || true
wait "$keeper_pid" 2>/dev/null || true
step "the service ran the tracker (HTTP $code, the simulator's laps stored), stopped cleanly, was removed"

step "all Windows checks passed in $((SECONDS - started)) s"
