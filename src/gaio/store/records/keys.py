"""Record kind of signing keys: ``key:<z6Mk…>`` (see :mod:`gaio.store.tables.keys`)."""

from __future__ import annotations

from gaio.store.records import RecordKind
from gaio.store.tables.keys import SigningKeyRow

KINDS: tuple[RecordKind, ...] = (
    RecordKind(SigningKeyRow, "key:", lambda r: f"key:{r.id}", "signing_key"),
)
