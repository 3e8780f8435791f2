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
#   - cargo test -p pitwall-acc --lib shm::windows and --test windows_shm, under Wine.
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

step "all Windows checks passed in $((SECONDS - started)) s"
