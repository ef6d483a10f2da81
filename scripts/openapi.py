"""Write the committed OpenAPI document ``docs/openapi.json`` (a test fails when it drifts).

Run ``python -m scripts.openapi`` from the repository root after changing the API.
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path
from typing import Any


def document() -> dict[str, Any]:
    from gaio.config import Settings
    from gaio.http import create_app
    from gaio.services.context import Gaio

    with tempfile.TemporaryDirectory() as tmp:
        g = Gaio.open(Settings(home=Path(tmp)), create=True)
        try:
            return create_app(gaio=g).openapi()
        finally:
            g.close()


def render() -> str:
    return json.dumps(document(), indent=2, ensure_ascii=False, sort_keys=True) + "\n"


def main(path: Path = Path("docs/openapi.json")) -> None:
    path.write_text(render(), encoding="utf-8")
    print(f"wrote {path}")


if __name__ == "__main__":
    main()
