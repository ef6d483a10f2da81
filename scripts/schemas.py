"""Write the committed JSON Schemas under ``schemas/`` (tests fail when they drift).

Run ``python -m scripts.schemas`` from the repository root after changing a model.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from gaio.evaluation.genai.result import result_json_schema as genai_schema
from gaio.evaluation.result import result_json_schema
from gaio.evaluation.spec import spec_json_schema
from gaio.registry.card import card_schema

SCHEMAS: dict[str, Callable[[], dict[str, Any]]] = {
    "system-card.schema.json": card_schema,
    "evaluation-result.schema.json": result_json_schema,
    "evaluation-spec.schema.json": spec_json_schema,
    "genai-result.schema.json": genai_schema,
}


def render(schema: dict[str, Any]) -> str:
    return json.dumps(schema, indent=2, ensure_ascii=False, sort_keys=True) + "\n"


def main(root: Path = Path("schemas")) -> None:
    root.mkdir(exist_ok=True)
    for name, make in SCHEMAS.items():
        (root / name).write_text(render(make()), encoding="utf-8")
        print(f"wrote {root / name}")


if __name__ == "__main__":
    main()
