#!/usr/bin/env bash
# CI step: the workspace's declared rust-version (root Cargo.toml) is true.
#
#   bash scripts/ci/msrv.sh
#
# Fails when a package of the locked dependency tree (Cargo.lock, as `cargo metadata`
# reports it, with each package's own `rust-version`) needs a newer Rust than the workspace
# declares, or when the pinned toolchain (rust-toolchain.toml) is older than that. What the
# code itself needs is clippy's part: with the workspace's rust-version, `incompatible_msrv`
# flags std APIs newer than it (edition 2024's let-chains alone need 1.88).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."

metadata=$(mktemp)
trap 'rm -f "$metadata"' EXIT
cargo metadata --format-version 1 --locked >"$metadata"

python3 - "$metadata" <<'PY'
import json
import re
import sys
import tomllib


def version(text):
    parts = [int(p) for p in text.split(".")]
    return tuple(parts + [0] * (3 - len(parts)))


with open("Cargo.toml", "rb") as f:
    declared = tomllib.load(f)["workspace"]["package"]["rust-version"]
with open("rust-toolchain.toml", "rb") as f:
    channel = tomllib.load(f)["toolchain"]["channel"]
with open(sys.argv[1], encoding="utf-8") as f:
    packages = json.load(f)["packages"]
msrv = version(declared)
problems = []

if not re.fullmatch(r"\d+\.\d+(\.\d+)?", channel):
    problems.append(f"rust-toolchain.toml pins {channel!r}, not a version to compare")
elif version(channel) < msrv:
    problems.append(f"rust-toolchain.toml pins {channel}, older than rust-version {declared}")

newest = max((version(p["rust_version"]), p["name"]) for p in packages if p.get("rust_version"))
for p in sorted(packages, key=lambda p: (p["name"], p["version"])):
    needs = p.get("rust_version")
    if needs and version(needs) > msrv:
        problems.append(f"{p['name']} {p['version']} needs Rust {needs}, above rust-version {declared}")

for problem in problems:
    print(f"msrv: {problem}", file=sys.stderr)
if problems:
    sys.exit(1)
print(
    f"msrv: rust-version {declared}; the tree needs at most {'.'.join(map(str, newest[0]))} "
    f"({newest[1]}), the toolchain is {channel}; {len(packages)} packages checked"
)
PY
