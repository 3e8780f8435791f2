#!/usr/bin/env python3
"""Hostile clients for bench/starve.sh: IDLE connections that never send a byte and SLOW
connections that send a request head one header line a second, never finishing it. Each
connection the server closes is opened again after RECONNECT_MS, so the attacker always
holds (or is trying to hold) IDLE + SLOW connections. Prints a status line every second:
connections open and how many the server has closed so far.

    python3 bench/starve_attack.py HOST:PORT IDLE SLOW
"""

import asyncio
import sys

RECONNECT_MS = 50
stats = {"open": 0, "closed_by_server": 0, "connect_errors": 0}


async def hold(host, port, slow):
    while True:
        try:
            reader, writer = await asyncio.open_connection(host, port)
        except OSError:
            stats["connect_errors"] += 1
            await asyncio.sleep(0.5)
            continue
        stats["open"] += 1
        try:
            if slow:
                writer.write(b"GET /api/sessions HTTP/1.1\r\nHost: x\r\n")
                await writer.drain()
                n = 0
                while True:
                    try:
                        data = await asyncio.wait_for(reader.read(1024), 1.0)
                        if not data:
                            break
                    except asyncio.TimeoutError:
                        n += 1
                        writer.write(b"X-Slow-%d: y\r\n" % n)
                        await writer.drain()
            else:
                while await reader.read(1024):
                    pass
        except (ConnectionError, OSError):
            pass
        finally:
            stats["open"] -= 1
            stats["closed_by_server"] += 1
            writer.close()
        await asyncio.sleep(RECONNECT_MS / 1000)


async def report():
    while True:
        await asyncio.sleep(1)
        print(
            f"attacker: {stats['open']} open, {stats['closed_by_server']} closed by the server, "
            f"{stats['connect_errors']} connect errors",
            flush=True,
        )


async def main():
    host, port = sys.argv[1].rsplit(":", 1)
    idle, slow = int(sys.argv[2]), int(sys.argv[3])
    tasks = [asyncio.create_task(report())]
    for i in range(max(idle, slow)):
        if i < idle:
            tasks.append(asyncio.create_task(hold(host, int(port), False)))
        if i < slow:
            tasks.append(asyncio.create_task(hold(host, int(port), True)))
        if i % 200 == 199:
            await asyncio.sleep(0.05)
    await asyncio.gather(*tasks)


asyncio.run(main())
