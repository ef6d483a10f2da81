"""Paging and sorting for list endpoints."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, Generic, TypeVar

from pydantic import BaseModel

from gaio.errors import InvalidInput

T = TypeVar("T")


class Page(BaseModel, Generic[T]):
    items: list[T]
    total: int
    limit: int
    offset: int


def paginate(
    items: Sequence[T],
    *,
    limit: int,
    offset: int,
    sort: str | None,
    keys: dict[str, Callable[[T], Any]],
) -> Page[T]:
    """Sort by ``sort`` (a key name, ``-name`` for descending) and slice."""
    ordered = list(items)
    if sort:
        name = sort.removeprefix("-")
        if name not in keys:
            raise InvalidInput(f"sort: unknown field {name!r}; expected one of {', '.join(keys)}")
        ordered.sort(
            key=lambda item: (keys[name](item) is None, keys[name](item) or ""),
            reverse=sort.startswith("-"),
        )
    return Page[T](
        items=ordered[offset : offset + limit], total=len(ordered), limit=limit, offset=offset
    )
