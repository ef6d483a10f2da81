"""Printing for the CLI: JSON for programs, Rich tables for people, every text escaped."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from typing import Any

from pydantic import BaseModel
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from gaio.clock import utc_text


def _width() -> int | None:
    """Rich's width on a terminal; 160 columns when piped, so tables stay readable in files."""
    return None if sys.stdout.isatty() else 160


console = Console(highlight=False, soft_wrap=False, width=_width())
err_console = Console(stderr=True, highlight=False)


def to_jsonable(value: Any) -> Any:
    if isinstance(value, BaseModel):
        return value.model_dump(mode="json")
    if isinstance(value, list | tuple):
        return [to_jsonable(v) for v in value]
    if isinstance(value, dict):
        return {str(k): to_jsonable(v) for k, v in value.items()}
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def emit_json(value: Any) -> None:
    sys.stdout.write(json.dumps(to_jsonable(value), indent=2, ensure_ascii=False) + "\n")


def text(value: object) -> str:
    """Escape a user-supplied value so Rich prints it literally (no markup injection)."""
    if value is None:
        return "—"
    if isinstance(value, datetime):
        return utc_text(value, seconds=True).replace("T", " ")
    if isinstance(value, list | tuple):
        return escape(", ".join(str(v) for v in value)) or "—"
    return escape(str(value))


def table(title: str, columns: Sequence[str], rows: Iterable[Sequence[object]]) -> None:
    t = Table(title=escape(title), title_justify="left", show_lines=False)
    for column in columns:
        t.add_column(column)
    for row in rows:
        t.add_row(*(text(v) for v in row))
    console.print(t)


def fields(title: str, pairs: Sequence[tuple[str, object]]) -> None:
    console.print(f"[bold]{escape(title)}[/bold]")
    width = max((len(k) for k, _ in pairs), default=0)
    for key, value in pairs:
        console.print(f"  {key.ljust(width)}  {text(value)}")


def note(message: str) -> None:
    """One plain line on stderr (never wrapped, never styled)."""
    sys.stderr.write(" ".join(message.split()) + "\n")
