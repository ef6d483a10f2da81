"""A local OpenAI-compatible chat-completions stub for the HTTP path (tests and benchmarks).

Loopback only, bounded: it answers a fixed text after a fixed delay, and can be told to fail
the first N requests with 429 (with Retry-After) or 500, to send malformed JSON, or to hang.
"""

from __future__ import annotations

import asyncio
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import uvicorn
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, PlainTextResponse, Response


@dataclass
class Behaviour:
    answer: str = "4"
    delay: float = 0.0
    fail_429: int = 0
    fail_500: int = 0
    malformed: bool = False
    requests: int = 0
    auth: list[str] = field(default_factory=list)


def make_app(b: Behaviour) -> FastAPI:
    app = FastAPI()

    @app.post("/v1/chat/completions")
    async def chat(request: Request) -> Response:
        b.requests += 1
        b.auth.append(request.headers.get("authorization", ""))
        body: dict[str, Any] = await request.json()
        if b.fail_429 > 0:
            b.fail_429 -= 1
            return JSONResponse({"error": {"message": "slow down"}}, 429, {"Retry-After": "0"})
        if b.fail_500 > 0:
            b.fail_500 -= 1
            return JSONResponse({"error": {"message": "boom"}}, 500)
        if b.delay:
            await asyncio.sleep(b.delay)
        if b.malformed:
            return PlainTextResponse('{"choices": [', media_type="application/json")
        return JSONResponse(
            {
                "id": "chatcmpl-stub",
                "object": "chat.completion",
                "created": int(time.time()),
                "model": body.get("model", "stub"),
                "choices": [
                    {
                        "index": 0,
                        "message": {"role": "assistant", "content": b.answer},
                        "finish_reason": "stop",
                    }
                ],
                "usage": {"prompt_tokens": 10, "completion_tokens": 1, "total_tokens": 11},
            }
        )

    return app


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def serve(b: Behaviour) -> Iterator[str]:
    """Run the stub on 127.0.0.1 in a thread; yields its base URL (…/v1)."""
    port = free_port()
    config = uvicorn.Config(make_app(b), host="127.0.0.1", port=port, log_level="error")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}/v1"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
