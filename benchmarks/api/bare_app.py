"""The peer: a bare FastAPI endpoint returning a small JSON list, served the same way."""

from __future__ import annotations

from fastapi import FastAPI

app = FastAPI()
ITEMS = [{"id": f"system-{i}", "name": f"System {i}", "stage": "deployment"} for i in range(30)]


@app.get("/api/v1/systems")
def systems() -> dict[str, object]:
    return {"items": ITEMS, "total": len(ITEMS), "limit": 50, "offset": 0}
