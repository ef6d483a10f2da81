"""Record kinds of accounts: ``user:~REF`` and ``token:~REF``, pseudonymous and wholly private,
so the public ledger names no login, role or token. Web sessions and login attempts are
short-lived authentication state, deliberately outside the ledger."""

from __future__ import annotations

from gaio.store.records import ALL, RecordKind
from gaio.store.tables.accounts import ApiTokenRow, UserRow

KINDS: tuple[RecordKind, ...] = (
    RecordKind(
        UserRow,
        "user:",
        lambda r: f"user:~{r.ledger_ref}",
        "user",
        private=ALL,
        hidden=True,
        legacy_subject=lambda r: f"user:{r.username}",
    ),
    RecordKind(
        ApiTokenRow,
        "token:",
        lambda r: f"token:~{r.ledger_ref}",
        "api_token",
        private=ALL,
        hidden=True,
        legacy_subject=lambda r: f"token:{r.id}",
    ),
)
