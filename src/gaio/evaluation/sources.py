"""Where evaluation data comes from, and the checks every input must pass before any metric.

A :class:`DataSource` names a CSV or Parquet file (or glob), or a SQL query over a DuckDB file
or a PostgreSQL database. Engines turn it into a relation; this module only resolves and
checks: existence, format, column names (with the closest-name suggestion), and the content
digests recorded in the result.
"""

from __future__ import annotations

import difflib
import glob
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from gaio.errors import InvalidInput

if TYPE_CHECKING:
    from gaio.evaluation.result import InputDigest

SourceKind = Literal["csv", "parquet", "duckdb", "postgres"]

_CSV_SUFFIXES = (".csv", ".tsv", ".csv.gz", ".tsv.gz", ".txt")
_PARQUET_SUFFIXES = (".parquet", ".pq", ".parq")


@dataclass(frozen=True)
class DataSource:
    """A table to evaluate: a file (``csv``/``parquet``) or a ``query`` over a database."""

    kind: SourceKind
    location: str
    query: str | None = None

    @property
    def files(self) -> list[Path]:
        """The files read (globs expanded); empty for a database query."""
        if self.kind not in ("csv", "parquet"):
            return []
        if any(ch in self.location for ch in "*?["):
            return sorted(Path(p) for p in glob.glob(self.location, recursive=True))
        path = Path(self.location)
        if path.is_dir():
            return sorted(path.rglob("*.parquet"))
        return [path]

    def describe(self) -> str:
        if self.query is not None:
            return f"query on {self.kind} database {self.location}"
        return self.location


def resolve_source(
    data: str | Path, *, query: str | None = None, kind: SourceKind | None = None
) -> DataSource:
    """Work out what ``data`` is; with ``query``, ``data`` is a DuckDB file or a PostgreSQL URL."""
    text = str(data)
    if query is not None:
        if text.startswith(("postgresql://", "postgres://")):
            return DataSource("postgres", text, query)
        path = Path(text)
        if not path.is_file():
            raise InvalidInput(f"DuckDB database {text!r} does not exist.")
        return DataSource("duckdb", text, query)
    if text.startswith(("postgresql://", "postgres://")):
        raise InvalidInput("A PostgreSQL source needs --query 'SELECT …' naming the rows to use.")
    lowered = text.lower()
    if kind is None:
        if lowered.endswith(_PARQUET_SUFFIXES) or Path(text).is_dir():
            kind = "parquet"
        elif lowered.endswith(_CSV_SUFFIXES):
            kind = "csv"
        elif lowered.endswith((".duckdb", ".db")):
            raise InvalidInput(f"{text!r} is a DuckDB database: pass --query 'SELECT …' as well.")
        else:
            raise InvalidInput(
                f"Cannot tell the format of {text!r}: use a .csv or .parquet file "
                "(or a DuckDB/PostgreSQL source with --query)."
            )
    source = DataSource(kind, text)
    if not source.files:
        raise InvalidInput(f"No such file: {text!r}.")
    missing = [str(p) for p in source.files if not p.is_file()]
    if missing:
        raise InvalidInput(f"No such file: {missing[0]!r}.")
    return source


def digests(
    source: DataSource,
    role: Literal["data", "predictions"],
    cancelled: Callable[[], bool] | None = None,
) -> list[InputDigest]:
    """SHA-256 of every file of a source, or of the query text (and the database URL).

    ``cancelled`` stops the hashing of a large file early (InterruptedError), e.g. once the
    evaluation it belongs to has failed.
    """
    from gaio.evaluation.result import InputDigest, sha256_file, sha256_text

    if source.query is not None:
        return [
            InputDigest(
                role="query",
                path=_redact(source.location),
                sha256=sha256_text(source.query),
            )
        ]
    out = []
    for path in source.files:
        sha, size = sha256_file(path, cancelled=cancelled)
        out.append(InputDigest(role=role, path=str(path), sha256=sha, size_bytes=size))
    return out


def _redact(location: str) -> str:
    """Drop a password from a database URL before it is written into a result."""
    if "://" in location and "@" in location:
        scheme, rest = location.split("://", 1)
        creds, host = rest.rsplit("@", 1)
        user = creds.split(":", 1)[0]
        return f"{scheme}://{user}@{host}"
    return location


def check_columns(wanted: Iterable[tuple[str, str]], available: Sequence[str], where: str) -> None:
    """Refuse missing columns, naming the closest existing one. ``wanted``: (role, name)."""
    problems = []
    for role, name in wanted:
        if name in available:
            continue
        close = difflib.get_close_matches(name, available, n=1, cutoff=0.5)
        if not close:
            lower = {c.lower(): c for c in available}
            if name.lower() in lower:
                close = [lower[name.lower()]]
        hint = f"; did you mean {close[0]!r}?" if close else f"; columns are {_list(available)}."
        problems.append(f"{role.capitalize()} column {name!r} is not in {where}{hint}")
    if problems:
        raise InvalidInput(" ".join(problems))


def _list(names: Sequence[str], limit: int = 12) -> str:
    shown = ", ".join(repr(n) for n in names[:limit])
    return shown + (f", … ({len(names)} in all)" if len(names) > limit else "")
