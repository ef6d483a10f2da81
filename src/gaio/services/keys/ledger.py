"""The ledger's signing keys over time: which verifier keys opened which checkpoints, and when.

Before any rotation the only key is the one in ``GAIO_HOME/keys/ledger.key``, valid forever. A
rotation lists the old key with the period it signed in (``signing_keys`` rows of purpose
``ledger``) and the new one from then on; a checkpoint must be signed by a key valid when the
checkpoint was made, so a retired key cannot sign a new head of the log.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from gaio.clock import utc_text
from gaio.errors import ConfigurationError
from gaio.ledger.note import OpenedNote, Verifier
from gaio.services.context import Gaio
from gaio.store.tables.keys import SigningKeyRow

LEDGER = "ledger"


@dataclass(frozen=True)
class LedgerKeyPeriod:
    """A ledger verifier key and the period its checkpoints may be from."""

    verifier: Verifier
    valid_from: datetime | None = None
    valid_until: datetime | None = None

    def covers(self, when: datetime) -> bool:
        if self.valid_from is not None and when < self.valid_from:
            return False
        return self.valid_until is None or when <= self.valid_until

    def period(self) -> str:
        start = utc_text(self.valid_from, seconds=True) if self.valid_from else "the start"
        end = utc_text(self.valid_until, seconds=True) if self.valid_until else "now"
        return f"{start} to {end}"


def ledger_keys(g: Gaio) -> list[LedgerKeyPeriod]:
    """Every ledger key with its period: the listed ones, and the current key file's key
    (valid forever while no rotation has listed it)."""
    periods = []
    with g.read() as session:
        for row in session.scalars(
            select(SigningKeyRow)
            .where(SigningKeyRow.purpose == LEDGER)
            .order_by(SigningKeyRow.valid_from)
        ):
            if row.verifier is None:
                raise ConfigurationError(f"ledger key {row.id} is listed without its verifier key")
            periods.append(
                LedgerKeyPeriod(Verifier.from_key(row.verifier), row.valid_from, row.valid_until)
            )
    current = g.signer().verifier
    if all(p.verifier != current for p in periods):
        periods.append(LedgerKeyPeriod(current))
    return periods


def verifier_keys(g: Gaio) -> list[str]:
    """The ledger's verifier keys, current first (for checking certificates' ledger evidence)."""
    current = g.signer().verifier_key()
    others = [p.verifier.verifier_key() for p in ledger_keys(g)]
    return [current, *(k for k in others if k != current)]


def period_problem(
    opened: OpenedNote, created_at: datetime, periods: Sequence[LedgerKeyPeriod]
) -> str | None:
    """Why a checkpoint made at ``created_at`` is not signed by a key valid then, or None."""
    signed = {(s.name, s.key_id) for s in opened.verified}
    by_key = [p for p in periods if (p.verifier.name, p.verifier.key_id) in signed]
    if any(p.covers(created_at) for p in by_key):
        return None
    spans = "; ".join(f"{p.verifier.verifier_key()} from {p.period()}" for p in by_key)
    return f"signed at {utc_text(created_at, seconds=True)} by a key not valid then ({spans})"
