#!/usr/bin/env bash
# Cargo runner for x86_64-pc-windows-gnu binaries: runs them under Wine.
#
#   CARGO_TARGET_X86_64_PC_WINDOWS_GNU_RUNNER=/path/to/tools/wine/runner.sh \
#       cargo test --target x86_64-pc-windows-gnu -p pitwall-acc --test windows_shm
#
# Puts the ProcessPrng shim (bcryptprimitives.dll, built by build.sh) beside the .exe, where
# Windows and Wine look for DLLs first, then execs wine64 with the binary and its arguments.
# Defaults suit a headless machine: WINEDEBUG=-all, a throwaway WINEPREFIX under target/,
# no X display. Set WINE, WINEPREFIX or WINEDEBUG to override.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"

if [[ $# -lt 1 ]]; then
    echo "usage: $0 PROGRAM.exe [ARGS...]" >&2
    exit 2
fi

exe="$1"
shift

export WINEDEBUG="${WINEDEBUG:--all}"
export WINEPREFIX="${WINEPREFIX:-${CARGO_TARGET_DIR:-$root/target}/wine/prefix}"
export WINEARCH="${WINEARCH:-win64}"
# No Mono/Gecko install prompts when Wine creates the prefix.
export WINEDLLOVERRIDES="${WINEDLLOVERRIDES:-mscoree,mshtml=}"
export DISPLAY="${DISPLAY-}"

wine="${WINE:-}"
if [[ -z "$wine" ]]; then
    if [[ -x /usr/lib/wine/wine64 ]]; then
        wine=/usr/lib/wine/wine64
    elif command -v wine64 >/dev/null; then
        wine="$(command -v wine64)"
    else
        wine=wine
    fi
fi

dll="$("$here/build.sh" "${CARGO_TARGET_DIR:-$root/target}/wine")"
beside="$(dirname "$exe")/bcryptprimitives.dll"
if [[ ! -f "$beside" || "$dll" -nt "$beside" ]]; then
    cp "$dll" "$beside"
fi

exec "$wine" "$exe" "$@"
