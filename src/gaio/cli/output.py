"""Printing for the CLI: JSON for programs, Rich tables for people, every text escaped."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import date, datetime
from typing import Annotated, Any

import typer
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


#: Columns that are never wrapped or cut: ids a user copies into the next command, and dates.
KEEP_WHOLE = frozenset(
    ["id", "incident", "system", "seq", "when", "deadline", "occurred", "check", "slot"]
)

#: ``--format``: how a listing is printed.
FORMATS = ("table", "tsv", "csv", "json")
FormatOpt = Annotated[
    str,
    typer.Option(
        "--format",
        help="table (for people; ids are never cut, other columns wrap), tsv, csv or json.",
    ),
]


#: Below this many characters per wrapped column, a table reads worse than a list of records.
MIN_COLUMN = 12


def table(title: str, columns: Sequence[str], rows: Iterable[Sequence[object]]) -> None:
    """A Rich table that fits the terminal without cutting what a user must copy.

    Columns in :data:`KEEP_WHOLE` keep their full width (no wrap, no ellipsis); the other
    columns wrap, and a long word folds onto the next line instead of ending in "…". When
    even that cannot fit (a narrow terminal, many columns), each row is printed as a record:
    its id on one line, then one "column  value" line per other column.
    """
    cells = [[text(v) for v in row] for row in rows]
    widths = [max([len(c), *(len(r[i]) for r in cells)]) for i, c in enumerate(columns)]
    keep = [c in KEEP_WHOLE for c in columns]
    needed = sum(w if k else min(w, MIN_COLUMN) for w, k in zip(widths, keep, strict=True))
    if cells and needed + 3 * len(columns) + 1 > console.width:
        _records(title, columns, cells, keep)
        return
    t = Table(title=escape(title), title_justify="left", show_lines=False)
    for i, column in enumerate(columns):
        if keep[i]:
            t.add_column(column, no_wrap=True, min_width=widths[i], overflow="fold")
        else:
            t.add_column(column, overflow="fold")
    for row_cells in cells:
        t.add_row(*row_cells)
    console.print(t)


def _records(
    title: str, columns: Sequence[str], cells: Sequence[Sequence[str]], keep: Sequence[bool]
) -> None:
    """Rows as records, for a terminal too narrow for the table."""
    head = keep.index(True) if any(keep) else 0
    console.print(f"[italic]{escape(title)}[/italic]")
    name_width = max(len(c) for c in columns)
    for row in cells:
        console.print(f"[bold]{row[head]}[/bold]", overflow="fold", crop=False)
        grid = Table.grid(padding=(0, 2))
        grid.add_column(no_wrap=True, min_width=name_width + 2)
        grid.add_column(overflow="fold")
        for i, column in enumerate(columns):
            if i != head:
                grid.add_row(f"  {column}", row[i])
        console.print(grid)


def _plain(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return utc_text(value, seconds=True)
    if isinstance(value, list | tuple):
        return ", ".join(str(v) for v in value)
    return str(value)


def listing(
    fmt: str,
    title: str,
    columns: Sequence[str],
    rows: Sequence[Sequence[object]],
    document: Any,
) -> None:
    """Print a listing as a table, TSV, CSV or JSON (``document`` is what JSON prints)."""
    if fmt not in FORMATS:
        from gaio.errors import InvalidInput

        raise InvalidInput(f"--format must be one of {', '.join(FORMATS)}, not {fmt!r}.")
    if fmt == "json":
        emit_json(document)
    elif fmt == "table":
        table(title, columns, rows)
    else:
        import csv

        writer = csv.writer(
            sys.stdout, delimiter="\t" if fmt == "tsv" else ",", lineterminator="\n"
        )
        writer.writerow(columns)
        for row in rows:
            writer.writerow(
                [
                    _plain(v).replace("\t", " ").replace("\n", " ") if fmt == "tsv" else _plain(v)
                    for v in row
                ]
            )


def fields(title: str, pairs: Sequence[tuple[str, object]]) -> None:
    console.print(f"[bold]{escape(title)}[/bold]")
    width = max((len(k) for k, _ in pairs), default=0)
    for key, value in pairs:
        console.print(f"  {key.ljust(width)}  {text(value)}")


ProgressFn = Callable[[int, int | None], None]


def _no_progress(done: int, total: int | None) -> None:
    return None


@contextmanager
def progress_bar(what: str, *, enabled: bool = True) -> Iterator[ProgressFn]:
    """A Rich progress bar on stderr with counts, elapsed time and ETA.

    Shown only on a terminal and when ``enabled`` (pass ``not as_json``): piped output and
    JSON stay clean. Yields ``update(done, total)``; the bar disappears when the block ends.
    """
    if not enabled or not err_console.is_terminal:
        yield _no_progress
        return
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )

    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        TextColumn("eta"),
        TimeRemainingColumn(),
        console=err_console,
        transient=True,
    ) as bar:
        task = bar.add_task(what, total=None)
        yield lambda done, total: bar.update(task, completed=done, total=total)


def note(message: str) -> None:
    """One plain line on stderr (never wrapped, never styled)."""
    sys.stderr.write(" ".join(message.split()) + "\n")
