"""Record kinds of accounts: ``user:NAME`` and ``token:ID``. Web sessions and login attempts
are short-lived authentication state, deliberately outside the ledger."""

from __future__ import annotations

from gaio.store.records import RecordKind
from gaio.store.tables.accounts import ApiTokenRow, UserRow

KINDS: tuple[RecordKind, ...] = (
    RecordKind(UserRow, "user:", lambda r: f"user:{r.username}", "user"),
    RecordKind(ApiTokenRow, "token:", lambda r: f"token:{r.id}", "api_token"),
)
