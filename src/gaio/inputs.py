"""Bounded reading of user files: one limit on size and nesting for every face.

The CLI reads cards, specs, proofs, certificates and drafts from files; the API reads request
bodies. Both go through these functions, so the same input is refused the same way: larger
than :data:`MAX_BYTES`, nested deeper than :data:`MAX_DEPTH`, a YAML document whose aliases
would expand past :data:`MAX_NODES` nodes, or a duplicate key in a JSON object or YAML mapping
(with its line). Nothing is parsed before its size is known, and deep nesting is refused before
a recursive parser could run out of stack.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import yaml

from gaio.errors import InvalidInput

MAX_BYTES = 2 * 1024 * 1024
"""The largest document gaio reads (the API's request body limit is the same)."""
MAX_DEPTH = 64
"""The deepest nesting of lists and mappings."""
MAX_LIST_ITEMS = 50
"""The most names in one list of a report (countries, sectors, deployers, developers, harmed,
systems): one anonymous report must not write thousands of permanent ledger entries."""
MAX_DUPLICATE_OF = 10
"""The most incidents one report may be added to (``duplicate_of``)."""
MAX_NODES = 200_000
"""The most values a YAML document may hold once its aliases are expanded."""


def read_text(path: Path, what: str, *, limit: int = MAX_BYTES) -> str:
    """A UTF-8 text file of at most ``limit`` bytes (refused before it is read whole)."""
    try:
        with path.open("rb") as fh:
            data = fh.read(limit + 1)
    except FileNotFoundError:
        raise InvalidInput(f"{path}: no such {what} file") from None
    except IsADirectoryError:
        raise InvalidInput(f"{path}: is a directory, not a {what} file") from None
    except OSError as exc:
        raise InvalidInput(f"{path}: cannot read the {what} ({exc.strerror})") from None
    if len(data) > limit:
        raise InvalidInput(f"{path}: the {what} is larger than {limit:,} bytes")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InvalidInput(f"{path}: the {what} is not UTF-8 text (byte {exc.start})") from None


def _line_of(text: str, position: int) -> int:
    return text.count("\n", 0, position) + 1


def check_json_nesting(text: str, source: str, *, depth: int = MAX_DEPTH) -> None:
    """Refuse JSON nested deeper than ``depth`` (a linear scan, before any parsing)."""
    level = 0
    in_string = escaped = False
    for i, char in enumerate(text):
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char in "[{":
            level += 1
            if level > depth:
                raise InvalidInput(
                    f"{source} line {_line_of(text, i)}: nested deeper than {depth} levels"
                )
        elif char in "]}":
            level -= 1


def load_json(text: str, source: str) -> Any:
    """Parse JSON: bounded size and nesting, duplicate keys refused with their line."""
    if len(text.encode("utf-8")) > MAX_BYTES:
        raise InvalidInput(f"{source}: larger than {MAX_BYTES:,} bytes")
    check_json_nesting(text, source)

    def pairs(items: list[tuple[str, Any]]) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for key, value in items:
            if key in out:
                raise _Duplicate(key)
            out[key] = value
        return out

    try:
        return json.loads(text, object_pairs_hook=pairs)
    except _Duplicate as dup:
        line = _duplicate_line(text, dup.key)
        raise InvalidInput(f"{source} line {line}: duplicate key {dup.key!r}") from None
    except json.JSONDecodeError as exc:
        raise InvalidInput(f"{source} line {exc.lineno}: not valid JSON ({exc.msg})") from None


class _Duplicate(Exception):
    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key


def _duplicate_line(text: str, key: str) -> int:
    """The line of the second occurrence of ``"key":`` (good enough to point at it)."""
    needle = json.dumps(key)
    first = text.find(needle)
    second = text.find(needle, first + 1) if first >= 0 else -1
    return _line_of(text, second if second >= 0 else max(first, 0))


class _BoundedLoader(yaml.SafeLoader):
    """PyYAML's safe loader that refuses deep nesting, alias bombs and duplicate keys."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self._depth = 0

    def compose_node(self, parent: Any, index: Any) -> Any:
        self._depth += 1
        if self._depth > MAX_DEPTH:
            mark = self.peek_event().start_mark  # type: ignore[no-untyped-call]
            raise InvalidInput(f"line {mark.line + 1}: nested deeper than {MAX_DEPTH} levels")
        try:
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1

    def construct_mapping(self, node: Any, deep: bool = False) -> Any:
        seen: set[Any] = set()
        for key_node, _value in node.value:
            key = self.construct_object(key_node, deep=deep)
            if isinstance(key, list | dict):
                continue  # reported by PyYAML as an unhashable key
            if key in seen:
                raise InvalidInput(f"line {key_node.start_mark.line + 1}: duplicate key {key!r}")
            seen.add(key)
        return super().construct_mapping(node, deep=deep)


def _expanded_size(node: Any, memo: dict[int, int], depth: int = 0) -> int:
    """How many values the node stands for once aliases are copied out (memoised)."""
    key = id(node)
    if key in memo:
        return memo[key]
    memo[key] = 1  # a cycle counts once, so the walk ends
    if isinstance(node, yaml.MappingNode):
        size = 1 + sum(
            _expanded_size(k, memo, depth + 1) + _expanded_size(v, memo, depth + 1)
            for k, v in node.value
        )
    elif isinstance(node, yaml.SequenceNode):
        size = 1 + sum(_expanded_size(v, memo, depth + 1) for v in node.value)
    else:
        size = 1
    memo[key] = size
    return size


def load_yaml(text: str, source: str) -> Any:
    """Parse one YAML document safely and within the bounds (see the module's docstring)."""
    if len(text.encode("utf-8")) > MAX_BYTES:
        raise InvalidInput(f"{source}: larger than {MAX_BYTES:,} bytes")
    try:
        loader = _BoundedLoader(text)
    except yaml.YAMLError as exc:
        first = str(getattr(exc, "problem", None) or exc).splitlines()[0]
        raise InvalidInput(f"{source}: not valid YAML ({first})") from None
    try:
        node = loader.get_single_node()
        if node is None:
            return None
        if _expanded_size(node, {}) > MAX_NODES:
            raise InvalidInput(
                f"{source}: its aliases expand to more than {MAX_NODES:,} values (refused)"
            )
        return loader.construct_document(node)
    except InvalidInput as exc:
        if exc.message.startswith(source):
            raise
        raise InvalidInput(f"{source} {exc.message}") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = getattr(exc, "problem", None) or exc.__class__.__name__
        raise InvalidInput(f"{source}{where}: not valid YAML ({problem})") from None
    except RecursionError:
        raise InvalidInput(f"{source}: nested too deeply") from None
    finally:
        loader.dispose()
