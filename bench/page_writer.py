#!/usr/bin/env python3
"""An ACC page writer that shares no code with pitwall, for bench/run-cpu.sh.

Replays the real capture (an ACCTEST file: gzip; "ACCTEST\0", version, count, then records
of u8 page type, u32 length, page bytes) into bridge-style page files in DIR, as a game
would: physics at PHYSICS_HZ and graphics at GRAPHICS_HZ, each write giving the page a new
packetId (offset 0, int32) and advancing the samples; the static page is written once.
Short pages are padded with zeros to the full sizes (physics 800, graphics 1588, static 820
bytes). Runs until killed.

    page_writer.py CAPTURE DIR [PHYSICS_HZ [GRAPHICS_HZ]]
"""

import gzip
import os
import struct
import sys
import time

SIZES = {0: 800, 1: 1588, 2: 820}
NAMES = {0: "acpmf_physics", 1: "acpmf_graphics", 2: "acpmf_static"}


def samples(path):
    """The capture's pages by type, in order, padded to full size."""
    data = gzip.open(path, "rb").read()
    if data[:8] != b"ACCTEST\0":
        sys.exit(f"{path}: not an ACCTEST capture")
    pages = {0: [], 1: [], 2: []}
    at = 16
    while at + 5 <= len(data):
        kind, length = struct.unpack_from("<BI", data, at)
        at += 5
        page = data[at:at + length]
        at += length
        if kind in SIZES:
            pages[kind].append(page[:SIZES[kind]].ljust(SIZES[kind], b"\0"))
    return pages


def main():
    capture, out = sys.argv[1], sys.argv[2]
    physics_hz = float(sys.argv[3]) if len(sys.argv) > 3 else 400.0
    graphics_hz = float(sys.argv[4]) if len(sys.argv) > 4 else 120.0
    pages = samples(capture)
    fds = {k: os.open(os.path.join(out, NAMES[k]), os.O_RDWR | os.O_CREAT, 0o644) for k in NAMES}
    for k, fd in fds.items():
        os.ftruncate(fd, SIZES[k])
    os.pwrite(fds[2], pages[2][0], 0)
    period = {0: 1.0 / physics_hz, 1: 1.0 / graphics_hz}
    due = {0: time.monotonic(), 1: time.monotonic()}
    packet = {0: 0, 1: 0}
    index = {0: 0, 1: 0}
    while True:
        now = time.monotonic()
        for k in (0, 1):
            if now >= due[k]:
                page = bytearray(pages[k][index[k] % len(pages[k])])
                packet[k] += 1
                struct.pack_into("<i", page, 0, packet[k])
                os.pwrite(fds[k], bytes(page), 0)
                index[k] += 1
                due[k] += period[k]
                if due[k] < now:  # fell behind (a slow machine): do not burst
                    due[k] = now + period[k]
        time.sleep(max(0.0, min(due.values()) - time.monotonic()))


if __name__ == "__main__":
    main()
