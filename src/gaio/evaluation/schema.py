"""Regenerate ``schemas/evaluation-result.schema.json``: ``python -m gaio.evaluation.schema``."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from gaio.evaluation.result import result_json_schema

SCHEMA_FILE = "evaluation-result.schema.json"


def render_schema() -> str:
    return json.dumps(result_json_schema(), indent=2, ensure_ascii=False, sort_keys=True) + "\n"


def main(argv: list[str] | None = None) -> None:
    args = sys.argv[1:] if argv is None else argv
    target = Path(args[0]) if args else Path("schemas") / SCHEMA_FILE
    target.write_text(render_schema(), encoding="utf-8")
    print(f"wrote {target}")


if __name__ == "__main__":
    main()
