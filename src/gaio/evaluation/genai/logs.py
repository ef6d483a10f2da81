"""Import existing Inspect logs (``.eval`` / ``.json``) as evidence, unchanged.

The log is read with Inspect itself; a log of a version this Inspect does not know is refused.
gaio's own value-compass logs are re-scored into a full result; any other log (e.g. from
``inspect_evals``) is summarised: its task, model, status, metrics and the file's hash.
"""

from __future__ import annotations

import hashlib
from datetime import datetime
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel

from gaio.errors import InvalidInput
from gaio.evaluation.genai.runner import require_inspect

KNOWN_LOG_VERSIONS = (1, 2)
MAX_LOG_BYTES = 512 * 1024 * 1024


class ImportedLog(BaseModel):
    version: Literal[1] = 1
    kind: Literal["inspect-log"] = "inspect-log"
    file: str
    sha256: str
    size: int
    log_version: int
    task: str
    model: str
    status: str
    created: str
    samples: int
    scores: dict[str, dict[str, float]]
    """scorer -> metric -> value, as Inspect computed them."""
    inspect_version: str
    imported_at: datetime


def read_log(path: Path) -> Any:
    require_inspect()
    from inspect_ai.log import read_eval_log

    if not path.is_file():
        raise InvalidInput(f"{path}: no such Inspect log file")
    if path.stat().st_size > MAX_LOG_BYTES:
        raise InvalidInput(f"{path}: larger than {MAX_LOG_BYTES:,} bytes")
    if path.suffix not in (".eval", ".json"):
        raise InvalidInput(f"{path}: an Inspect log ends in .eval or .json")
    try:
        log = read_eval_log(str(path))
    except Exception as exc:
        first = (str(exc).strip().splitlines() or [type(exc).__name__])[0][:200]
        raise InvalidInput(f"{path}: not a readable Inspect log ({first})") from None
    if log.version not in KNOWN_LOG_VERSIONS:
        raise InvalidInput(
            f"{path}: Inspect log version {log.version} is unknown "
            f"(known: {', '.join(map(str, KNOWN_LOG_VERSIONS))})"
        )
    return log


def summarise(path: Path, log: Any, now: datetime) -> ImportedLog:
    import inspect_ai

    data = path.read_bytes()
    scores: dict[str, dict[str, float]] = {}
    if log.results is not None:
        for sc in log.results.scores:
            scores[sc.name] = {k: float(m.value) for k, m in sc.metrics.items()}
    return ImportedLog(
        file=path.name,
        sha256=hashlib.sha256(data).hexdigest(),
        size=len(data),
        log_version=int(log.version),
        task=str(log.eval.task),
        model=str(log.eval.model),
        status=str(log.status),
        created=str(log.eval.created),
        samples=int(log.results.total_samples) if log.results else 0,
        scores=scores,
        inspect_version=inspect_ai.__version__,
        imported_at=now,
    )
