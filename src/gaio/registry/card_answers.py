"""Answers to the classifier's open questions, written back into the card file as facts.

Each answered fact is set at its dotted path in the card's own data (the order of the other
fields is kept), and recorded under ``answered`` with who answered and when, so the next
reader of the card knows the fact came from an interactive answer and not the original
author. The file is replaced atomically after the new card validates: a bad answer or a
failed write leaves the old card as it was. Hugging Face ``.md`` cards are refused (their
facts live in front matter next to prose that a rewrite could damage).
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

import yaml

from gaio.errors import InvalidInput
from gaio.inputs import load_json, load_yaml, read_text
from gaio.registry.card import SystemCard, parse_card


def _set(data: dict[str, Any], path: str, value: Any) -> None:
    node = data
    parts = path.split(".")
    for part in parts[:-1]:
        child = node.get(part)
        if not isinstance(child, dict):
            child = {}
            node[part] = child
        node = child
    node[parts[-1]] = value


def with_answers(
    data: dict[str, Any], answers: Sequence[tuple[str, Any]], by: str, at: datetime
) -> dict[str, Any]:
    """A copy of raw card data with the answers set and recorded (the latest answer to a path
    replaces an earlier record of it)."""
    if at.tzinfo is None:
        raise ValueError("answered_at must be timezone-aware (UTC)")
    out: dict[str, Any] = json.loads(json.dumps(data, default=str))
    answered = [a for a in out.get("answered") or [] if isinstance(a, dict)]
    paths = {p for p, _ in answers}
    answered = [a for a in answered if a.get("path") not in paths]
    for path, value in answers:
        _set(out, path, value)
        answered.append({"path": path, "answered_by": by, "answered_at": at.isoformat()})
    if answered:
        out["answered"] = answered
    return out


def save_answers(
    path: Path, answers: Sequence[tuple[str, Any]], by: str, at: datetime
) -> SystemCard:
    """Write ``answers`` into the card file at ``path``; returns the card as saved."""
    suffix = path.suffix.lower()
    if suffix not in (".yaml", ".yml", ".json"):
        raise InvalidInput(
            f"{path}: --save writes .yaml or .json cards only; convert the card first "
            "(the answers were not saved)"
        )
    text = read_text(path, "card")
    raw = load_json(text, str(path)) if suffix == ".json" else load_yaml(text, str(path))
    if not isinstance(raw, dict):
        raise InvalidInput(f"{path}: a card must be a mapping")
    data = with_answers(raw, answers, by, at)
    card = parse_card(data, source=f"{path} with the answers")
    body = (
        json.dumps(data, indent=2, ensure_ascii=False) + "\n"
        if suffix == ".json"
        else yaml.safe_dump(data, sort_keys=False, allow_unicode=True)
    )
    fd, tmp = tempfile.mkstemp(prefix=".gaio-card-", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(body)
        os.chmod(tmp, path.stat().st_mode & 0o777)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return card
