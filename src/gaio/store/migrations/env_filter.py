"""What autogenerate and the schema-drift test compare: the tables the models declare."""

from __future__ import annotations


def include_object(
    obj: object, name: str | None, type_: str, reflected: bool, compare_to: object
) -> bool:
    """Leave alone what the models do not declare (e.g. SQLite FTS5 shadow tables)."""
    return not (type_ == "table" and reflected and compare_to is None)
