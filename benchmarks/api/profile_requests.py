"""Where a public read's CPU goes (issue 16, item 1). One command, from the repository root:

    GAIO_HOME=/tmp/some-demo python benchmarks/api/profile_requests.py [--requests 200]

Loads nothing itself: point ``GAIO_HOME`` at an observatory (``gaio demo --no-serve``). Sends
``--requests`` GETs per endpoint in-process (httpx over ASGI, no socket) under pyinstrument
and prints the top of each profile; ``--no-cache`` profiles the path a cache miss takes.
"""

from __future__ import annotations

import argparse
import asyncio
import time
from typing import Any

import httpx
from pyinstrument import Profiler

from gaio.http import create_app

ENDPOINTS = (
    "/api/v1/systems",
    "/api/v1/systems/talentwise-match",
    "/systems",
    "/systems/talentwise-match",
    "/api/v1/incidents?q=facial+recognition",
)


async def _inline(func: Any, *args: Any, **kwargs: Any) -> Any:
    return func(*args, **kwargs)


def run_sync_inline() -> None:
    """pyinstrument samples one thread: run FastAPI's sync endpoints and dependencies on the
    event loop's thread instead of the worker pool, so the profile sees them."""
    import fastapi.dependencies.utils
    import fastapi.routing

    fastapi.routing.run_in_threadpool = _inline  # type: ignore[assignment]
    fastapi.dependencies.utils.run_in_threadpool = _inline  # type: ignore[assignment]


async def drive(n: int, cache: bool) -> None:
    run_sync_inline()
    app = create_app(anonymous_rate=(10**9, 1.0), public_cache=cache)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://bench") as client:
        for path in ENDPOINTS:
            assert (await client.get(path)).status_code == 200, path
            profiler = Profiler(interval=0.0005, async_mode="disabled")
            start = time.perf_counter()
            profiler.start()
            for _ in range(n):
                (await client.get(path)).raise_for_status()
            profiler.stop()
            per = (time.perf_counter() - start) / n * 1000
            print(f"\n=== {path}: {per:.2f} ms per request (in-process, profiled) ===")
            print(profiler.output_text(unicode=False, color=False))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--no-cache", action="store_true")
    args = parser.parse_args()
    asyncio.run(drive(args.requests, cache=not args.no_cache))


if __name__ == "__main__":
    main()
