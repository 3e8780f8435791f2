#!/usr/bin/env bash
# Builds the ProcessPrng shim (bcryptprimitives.dll) for running Rust Windows binaries
# under Wine 8. Usage: tools/wine/build.sh [OUT_DIR] (default: target/wine, or
# $CARGO_TARGET_DIR/wine).
# Prints the path of the DLL. Rebuilds only when the source is newer than the DLL.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
out_dir="${1:-${CARGO_TARGET_DIR:-$root/target}/wine}"
cc="${MINGW_CC:-x86_64-w64-mingw32-gcc}"
src="$here/bcryptprimitives.c"
dll="$out_dir/bcryptprimitives.dll"

mkdir -p "$out_dir"
if [[ ! -f "$dll" || "$src" -nt "$dll" || "$0" -nt "$dll" ]]; then
    # -static-libgcc: the DLL must not need libgcc_s from the mingw install at run time.
    "$cc" -shared -O2 -Wall -Wextra -Werror -static-libgcc \
        -o "$dll" "$src" -ladvapi32
fi
echo "$dll"
