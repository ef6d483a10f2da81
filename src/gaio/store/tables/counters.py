"""Id counters: the last id issued for each kind of row that gaio numbers itself."""

from __future__ import annotations

from sqlalchemy import BigInteger, String
from sqlalchemy.orm import Mapped, mapped_column

from gaio.store.tables.base import Base


class CounterRow(Base):
    """``name`` is a kind (``incident``, ``assessment``) or a scoped kind (``finding:12``)."""

    __tablename__ = "id_counters"

    name: Mapped[str] = mapped_column(String(80), primary_key=True)
    value: Mapped[int] = mapped_column(BigInteger)
