"""The peer: a bare FastAPI endpoint returning the very bytes gaio returned for each measured
request (read from the file named by ``BARE_RESPONSES``), served the same way in the same run."""

from __future__ import annotations

import base64
import json
import os
from pathlib import Path

from fastapi import FastAPI, Response

app = FastAPI()
_BODIES: dict[str, tuple[str, bytes]] = {
    path: (kind, base64.b64decode(body))
    for path, (kind, body) in json.loads(
        Path(os.environ["BARE_RESPONSES"]).read_text(encoding="utf-8")
    ).items()
}


@app.get("/{path:path}")
def same_bytes(path: str) -> Response:
    kind, body = _BODIES["/" + path]
    return Response(body, media_type=kind)
