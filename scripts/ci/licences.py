#!/usr/bin/env python3
"""Licences, bans and sources of pitwall's dependency tree, by the rules of deny.toml.

The same checks as `cargo deny check licenses bans sources` (which reads the same file, for
whoever has cargo-deny installed), without building cargo-deny first: CI would spend a quarter
of an hour compiling it. Reads `cargo metadata --locked --all-features` (every target,
dev-dependencies too) and fails, naming the crate, on:
  - a licence expression that no allowed licence (or the crate's own exception) satisfies
    (`A OR B` needs one side, `A AND B` both, `A WITH exception` A; `A/B` is an old OR);
  - a banned crate;
  - a crate from anywhere but crates.io.

    python3 scripts/ci/licences.py
"""
import json
import re
import subprocess
import sys
import tomllib
from pathlib import Path

CRATES_IO = (
    "registry+https://github.com/rust-lang/crates.io-index",
    "sparse+https://index.crates.io/",
)


def satisfied(expression, allowed):
    """Whether an SPDX expression is met by the set of allowed licence ids."""
    tokens = re.findall(r"\(|\)|[^\s()]+", expression.replace("/", " OR "))
    pos = 0

    def parse_or():
        nonlocal pos
        value = parse_and()
        while pos < len(tokens) and tokens[pos] == "OR":
            pos += 1
            value = parse_and() or value
        return value

    def parse_and():
        nonlocal pos
        value = parse_atom()
        while pos < len(tokens) and tokens[pos] == "AND":
            pos += 1
            value = parse_atom() and value
        return value

    def parse_atom():
        nonlocal pos
        if pos >= len(tokens):
            raise ValueError(f"incomplete licence expression {expression!r}")
        token = tokens[pos]
        pos += 1
        if token == "(":
            value = parse_or()
            if pos >= len(tokens) or tokens[pos] != ")":
                raise ValueError(f"unbalanced licence expression {expression!r}")
            pos += 1
        else:
            value = token.rstrip("+") in allowed
        if pos < len(tokens) and tokens[pos] == "WITH":
            pos += 2  # an exception only adds permissions
        return value

    value = parse_or()
    if pos != len(tokens):
        raise ValueError(f"cannot read licence expression {expression!r}")
    return value


def main():
    root = Path(__file__).resolve().parents[2]
    rules = tomllib.loads((root / "deny.toml").read_text())
    allowed = set(rules["licenses"]["allow"])
    exceptions = {e["crate"]: set(e["allow"]) for e in rules["licenses"].get("exceptions", [])}
    banned = {b["crate"]: b.get("reason", "banned") for b in rules["bans"].get("deny", [])}
    metadata = json.loads(
        subprocess.run(
            ["cargo", "metadata", "--locked", "--all-features", "--format-version", "1"],
            cwd=root,
            check=True,
            capture_output=True,
            text=True,
        ).stdout
    )
    members = set(metadata["workspace_members"])
    problems = []
    checked = 0
    for package in metadata["packages"]:
        if package["id"] in members:
            continue
        checked += 1
        name = f'{package["name"]} {package["version"]}'
        if package["name"] in banned:
            problems.append(f"{name}: banned ({banned[package['name']]})")
        source = package.get("source") or ""
        if not source.startswith(CRATES_IO):
            problems.append(f"{name}: not from crates.io ({source or 'a path'})")
        licence = package.get("license")
        if not licence:
            problems.append(f"{name}: declares no licence expression")
            continue
        ok = allowed | exceptions.get(package["name"], set())
        try:
            if not satisfied(licence, ok):
                problems.append(f"{name}: licence {licence!r} is not allowed by deny.toml")
        except ValueError as error:
            problems.append(f"{name}: {error}")
    if problems:
        print("dependency tree check failed (rules: deny.toml):", file=sys.stderr)
        for problem in problems:
            print(f"  {problem}", file=sys.stderr)
        sys.exit(1)
    print(f"licences, bans and sources ok: {checked} crates from crates.io (rules: deny.toml)")


if __name__ == "__main__":
    main()
