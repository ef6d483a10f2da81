"""Load, validate and resolve the catalog's data files; choose a framework version.

Contract:

- :func:`load_catalog` reads every file under a data directory (the packaged one by default, parsed
  once per process and cached), validates each against its shape in :mod:`gaio.catalog._files`,
  materialises delta versions over their bases, resolves dates, and checks referential integrity:
  unique ids, existing parents and date references, crosswalk and adoption entries that name
  existing frameworks and items. Any problem raises :class:`~gaio.errors.InvalidInput` whose
  message names the file and the field (``eu-ai-act@2024-1689.yaml: items[3].children[0].citation:
  Field required``), so a broken data file fails at start, loudly, and never half-loads.
- :func:`select_version` picks one complete version of a framework by name, by date (the adopted
  version in force on that date), or by default (the one in force today).

Why load everything eagerly: the whole catalog is a few hundred kilobytes and loads in well under a
second; a partial load would let a dangling crosswalk reference surface later, in someone else's
code."""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from gaio.catalog._files import CompleteFile, CrosswalkFile, DeltaFile, RawItem
from gaio.catalog.model import (
    AdoptionRegister,
    Catalog,
    Crosswalk,
    CrosswalkRelation,
    Framework,
    Item,
)
from gaio.errors import FieldError, InvalidInput, NotFound

DATA_DIR = Path(__file__).resolve().parent / "data"
CROSSWALK_FILE = "crosswalk.yaml"
ADOPTION_FILE = "adoption.yaml"

_Loader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_M = TypeVar("_M", bound=BaseModel)


def load_catalog(data_dir: Path | None = None) -> Catalog:
    """The catalog in ``data_dir`` (default: the packaged data, loaded once and cached)."""
    if data_dir is None:
        return _packaged_catalog()
    return _load(Path(data_dir))


@functools.cache
def _packaged_catalog() -> Catalog:
    return _load(DATA_DIR)


def parse_ref(ref: str) -> tuple[str, str | None]:
    """Split ``"eu-ai-act@2024-1689"`` into ``("eu-ai-act", "2024-1689")``; no ``@``, no version."""
    framework_id, sep, version = ref.partition("@")
    return framework_id, (version if sep else None)


def select_version(
    framework_id: str,
    version: str | None = None,
    on: dt.date | None = None,
    *,
    catalog: Catalog | None = None,
) -> Framework:
    """One complete version of ``framework_id``: by name, by date, or the one in force today.

    By date, only *adopted* versions count (a proposal is never "in force"), each from its
    ``in_force_from`` (or, lacking one, its publication date); the latest one started on or before
    ``on`` wins. Raises :class:`NotFound` for an unknown framework and :class:`InvalidInput` for an
    unknown version, a date before any version, or both a version and a date.
    """
    cat = catalog or load_catalog()
    versions = cat.frameworks.get(framework_id)
    if versions is None:
        known = ", ".join(sorted(cat.frameworks))
        raise NotFound(f"unknown framework {framework_id!r}; known frameworks: {known}")
    known_versions = ", ".join(v.version for v in versions)
    if version is not None and on is not None:
        raise InvalidInput(
            f"give a version or a date for {framework_id}, not both "
            f"(got version {version!r} and date {on.isoformat()})"
        )
    if version is not None:
        for candidate in versions:
            if candidate.version == version:
                return candidate
        raise InvalidInput(
            f"unknown version {version!r} of {framework_id}; known versions: {known_versions}"
        )
    day = on if on is not None else dt.datetime.now(dt.UTC).date()
    in_force = [v for v in versions if v.status == "adopted" and _start(v) <= day]
    if in_force:
        return max(in_force, key=lambda v: (_start(v), v.published))
    if on is not None:
        raise InvalidInput(
            f"no version of {framework_id} was in force on {on.isoformat()}; "
            f"known versions: {known_versions}"
        )
    adopted = [v for v in versions if v.status == "adopted"] or list(versions)
    return min(adopted, key=_start)


def _start(framework: Framework) -> dt.date:
    return framework.in_force_from or framework.published


# --- reading files ---------------------------------------------------------------------------


def _load(data_dir: Path) -> Catalog:
    if not data_dir.is_dir():
        raise InvalidInput(f"catalog data directory {str(data_dir)!r} does not exist")
    completes: dict[tuple[str, str], tuple[str, CompleteFile]] = {}
    deltas: dict[tuple[str, str], tuple[str, DeltaFile]] = {}
    for path in sorted(data_dir.glob("*.yaml")):
        if path.name in (CROSSWALK_FILE, ADOPTION_FILE):
            continue
        raw = _read_yaml(path)
        model: type[CompleteFile] | type[DeltaFile] = DeltaFile if "base" in raw else CompleteFile
        doc = _validate(model, raw, path.name)
        expected = f"{doc.id}@{doc.version}.yaml"
        if path.name != expected:
            raise InvalidInput(f"{path.name}: file name must be {expected!r} (id@version)")
        if isinstance(doc, DeltaFile):
            deltas[(doc.id, doc.version)] = (path.name, doc)
        else:
            completes[(doc.id, doc.version)] = (path.name, doc)
    resolver = _Resolver(completes, deltas)
    by_id: dict[str, list[Framework]] = {}
    for key in [*completes, *deltas]:
        framework = resolver.framework(key)
        by_id.setdefault(framework.id, []).append(framework)
    frameworks = {
        fid: tuple(sorted(vs, key=lambda v: (v.published, v.version)))
        for fid, vs in sorted(by_id.items())
    }
    raw_crosswalk = _validate(CrosswalkFile, _read_yaml(data_dir / CROSSWALK_FILE), CROSSWALK_FILE)
    crosswalk = _resolve_crosswalk(raw_crosswalk, frameworks)
    adoption = _validate(AdoptionRegister, _read_yaml(data_dir / ADOPTION_FILE), ADOPTION_FILE)
    _check_adoption(adoption, frameworks)
    return Catalog(frameworks=frameworks, crosswalk=crosswalk, adoption=adoption)


def _read_yaml(path: Path) -> dict[str, Any]:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise InvalidInput(f"{path.name}: cannot read catalog data file ({exc.strerror})") from exc
    try:
        data = yaml.load(text, Loader=_Loader)  # noqa: S506 - a safe loader, C or Python
    except yaml.YAMLError as exc:
        raise InvalidInput(f"{path.name}: not valid YAML: {exc}") from exc
    if not isinstance(data, dict):
        raise InvalidInput(f"{path.name}: expected a mapping at the top level")
    return data


def _validate(model: type[_M], data: Mapping[str, Any], file: str) -> _M:
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        errors = [
            FieldError(path=f"{file}:{_loc(e['loc'])}", message=e["msg"]) for e in exc.errors()
        ]
        first = errors[0]
        more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
        raise InvalidInput(f"{first.path}: {first.message}{more}", errors=errors) from exc


def _loc(loc: Iterable[int | str]) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


# --- resolving versions ----------------------------------------------------------------------


@dataclass
class _Tree:
    """Items of one version as an ordered tree of raw items (children stripped into ``order``)."""

    nodes: dict[str, RawItem] = field(default_factory=dict)
    parent: dict[str, str | None] = field(default_factory=dict)
    order: dict[str | None, list[str]] = field(default_factory=dict)

    def copy(self) -> _Tree:
        return _Tree(
            dict(self.nodes), dict(self.parent), {k: list(v) for k, v in self.order.items()}
        )

    def insert(
        self, raw: RawItem, parent: str | None, where: str, after: str | None = None
    ) -> None:
        if raw.id in self.nodes:
            raise InvalidInput(f"{where}: duplicate item id {raw.id!r}")
        siblings = self.order.setdefault(parent, [])
        if after is None:
            siblings.append(raw.id)
        elif after in siblings:
            siblings.insert(siblings.index(after) + 1, raw.id)
        else:
            raise InvalidInput(f"{where}.after: {after!r} is not a sibling under {parent!r}")
        self.nodes[raw.id] = raw.model_copy(update={"children": [], "parent": None, "after": None})
        self.parent[raw.id] = parent
        for i, child in enumerate(raw.children):
            self.insert(child, raw.id, f"{where}.children[{i}]")

    def remove(self, item_id: str, where: str) -> None:
        if item_id not in self.nodes:
            raise InvalidInput(f"{where}: cannot remove unknown item {item_id!r}")
        for child in list(self.order.get(item_id, [])):
            self.remove(child, where)
        self.order.pop(item_id, None)
        self.order[self.parent[item_id]].remove(item_id)
        del self.nodes[item_id], self.parent[item_id]

    def walk(self, parent: str | None = None) -> Iterable[str]:
        for item_id in self.order.get(parent, []):
            yield item_id
            yield from self.walk(item_id)


class _Resolver:
    """Turns files into complete :class:`Framework` versions, following delta chains."""

    def __init__(
        self,
        completes: dict[tuple[str, str], tuple[str, CompleteFile]],
        deltas: dict[tuple[str, str], tuple[str, DeltaFile]],
    ) -> None:
        self._completes = completes
        self._deltas = deltas
        self._done: dict[tuple[str, str], tuple[Framework, _Tree, str | None]] = {}
        self._busy: set[tuple[str, str]] = set()

    def framework(self, key: tuple[str, str]) -> Framework:
        return self._resolve(key)[0]

    def _resolve(self, key: tuple[str, str]) -> tuple[Framework, _Tree, str | None]:
        if key in self._done:
            return self._done[key]
        if key in self._busy:
            raise InvalidInput(f"{key[0]}@{key[1]}.yaml: delta versions form a cycle")
        self._busy.add(key)
        if key in self._completes:
            result = self._complete(*self._completes[key])
        else:
            result = self._delta(*self._deltas[key])
        self._busy.discard(key)
        self._done[key] = result
        return result

    def _complete(self, file: str, doc: CompleteFile) -> tuple[Framework, _Tree, str | None]:
        tree = _Tree()
        for i, raw in enumerate(doc.items):
            where = f"{file}: items[{i}]"
            if raw.parent is not None or raw.after is not None:
                raise InvalidInput(f"{where}: 'parent'/'after' are only for delta additions")
            tree.insert(raw, None, where)
        items = _resolve_items(doc.id, tree, doc.default_applies_via, file)
        framework = Framework(
            id=doc.id,
            version=doc.version,
            name=doc.name,
            short_name=doc.short_name,
            kind=doc.kind,
            issuer=doc.issuer,
            jurisdiction=doc.jurisdiction,
            status=doc.status,
            published=doc.published,
            in_force_from=doc.in_force_from,
            source=doc.source,
            text_is_verbatim=doc.text_is_verbatim,
            summary=doc.summary,
            items=items,
        )
        return framework, tree, doc.default_applies_via

    def _delta(self, file: str, doc: DeltaFile) -> tuple[Framework, _Tree, str | None]:
        base_key = (doc.id, doc.base)
        if base_key not in self._completes and base_key not in self._deltas:
            raise InvalidInput(f"{file}: base: no file for base version {doc.id}@{doc.base}")
        base, base_tree, base_default = self._resolve(base_key)
        tree = base_tree.copy()
        for i, item_id in enumerate(doc.changes.remove):
            tree.remove(item_id, f"{file}: changes.remove[{i}]")
        for i, raw in enumerate(doc.changes.replace):
            where = f"{file}: changes.replace[{i}]"
            if raw.id not in tree.nodes:
                raise InvalidInput(f"{where}: cannot replace unknown item {raw.id!r}")
            if raw.children or raw.parent is not None or raw.after is not None:
                raise InvalidInput(
                    f"{where}: a replacement keeps its place; no children/parent/after"
                )
            tree.nodes[raw.id] = raw
        for i, patch in enumerate(doc.changes.update):
            where = f"{file}: changes.update[{i}]"
            if patch.id not in tree.nodes:
                raise InvalidInput(f"{where}: cannot update unknown item {patch.id!r}")
            merged = tree.nodes[patch.id].model_dump() | patch.model_dump(exclude_unset=True)
            tree.nodes[patch.id] = _validate(RawItem, merged, where)
        for i, raw in enumerate(doc.changes.add):
            where = f"{file}: changes.add[{i}]"
            if raw.parent is not None and raw.parent not in tree.nodes:
                raise InvalidInput(f"{where}.parent: unknown item {raw.parent!r}")
            tree.insert(raw, raw.parent, where, raw.after)
        default = doc.default_applies_via or base_default
        items = _resolve_items(doc.id, tree, default, file)
        framework = base.model_copy(
            update={
                "version": doc.version,
                "name": doc.name or base.name,
                "short_name": doc.short_name or base.short_name,
                "issuer": doc.issuer or base.issuer,
                "status": doc.status,
                "published": doc.published,
                "in_force_from": doc.in_force_from,
                "source": doc.source,
                "summary": doc.summary or base.summary,
                "base": doc.base,
                "changes": tuple(doc.changes_summary),
                "items": items,
            }
        )
        return framework, tree, default


def _resolve_items(
    framework_id: str, tree: _Tree, default_via: str | None, file: str
) -> tuple[Item, ...]:
    """Flatten ``tree`` in document order, computing each item's ``applies_from`` once."""
    if default_via is not None:
        _date_of(tree, default_via, f"{file}: default_applies_via")
    via: dict[str, str | None] = {}
    items: list[Item] = []
    for local_id in tree.walk():
        raw = tree.nodes[local_id]
        parent = tree.parent[local_id]
        where = f"{file}: item {local_id!r}"
        if (raw.kind == "date") != (raw.date is not None):
            raise InvalidInput(f"{where}.date: set 'date' on, and only on, items of kind 'date'")
        via[local_id] = raw.applies_via or (via[parent] if parent else default_via)
        applies_from = None
        if raw.kind != "date" and via[local_id] is not None:
            applies_from = _date_of(tree, via[local_id], f"{where}.applies_via")
        fields = raw.model_dump(exclude={"children", "parent", "after", "applies_via", "id"})
        items.append(
            Item(
                **fields,
                id=f"{framework_id}:{local_id}",
                framework=framework_id,
                local_id=local_id,
                parent=f"{framework_id}:{parent}" if parent else None,
                applies_from=applies_from,
            )
        )
    return tuple(items)


def _date_of(tree: _Tree, local_id: str | None, where: str) -> dt.date:
    node = tree.nodes.get(local_id or "")
    if node is None or node.kind != "date" or node.date is None:
        raise InvalidInput(f"{where}: {local_id!r} is not a date item of this version")
    return node.date


# --- cross-file integrity --------------------------------------------------------------------


def _latest_items(
    frameworks: Mapping[str, tuple[Framework, ...]],
) -> dict[str, tuple[Framework, Item]]:
    """Every item id of any version -> (version, item) from the latest version that has it."""
    found: dict[str, tuple[Framework, Item]] = {}
    for versions in frameworks.values():
        for version in versions:  # oldest first, so later versions overwrite
            for item in version.items:
                found[item.id] = (version, item)
    return found


def _resolve_crosswalk(
    raw: CrosswalkFile, frameworks: Mapping[str, tuple[Framework, ...]]
) -> Crosswalk:
    """Check every relation's ends and fill a missing citation from the two items' citations."""
    known = _latest_items(frameworks)
    seen: set[frozenset[str]] = set()
    relations: list[CrosswalkRelation] = []
    for i, rel in enumerate(raw.relations):
        where = f"{CROSSWALK_FILE}: relations[{i}]"
        ends = []
        for end, ref in (("source", rel.source), ("target", rel.target)):
            if ref not in known:
                raise InvalidInput(f"{where}.{end}: unknown item {ref!r}")
            ends.append(known[ref])
        (src_fw, src), (tgt_fw, tgt) = ends
        if src.framework == tgt.framework:
            raise InvalidInput(f"{where}: source and target are in the same framework")
        pair = frozenset((rel.source, rel.target))
        if pair in seen:
            raise InvalidInput(f"{where}: {rel.source} and {rel.target} are already related")
        seen.add(pair)
        citation = rel.citation or (
            f"{src_fw.short_name}, {src.citation}; {tgt_fw.short_name}, {tgt.citation}"
        )
        relations.append(
            CrosswalkRelation(
                source=rel.source,
                target=rel.target,
                relationship=rel.relationship,
                rationale=rel.rationale,
                citation=citation,
            )
        )
    return Crosswalk(
        version=raw.version,
        published=raw.published,
        method=raw.method,
        description=raw.description,
        relations=tuple(relations),
    )


def _check_adoption(
    register: AdoptionRegister, frameworks: Mapping[str, tuple[Framework, ...]]
) -> None:
    for group, members in register.groups.items():
        bad = [m for m in members if len(m) != 2 or not m.isupper()]
        if bad:
            raise InvalidInput(f"{ADOPTION_FILE}: groups.{group}: not ISO 3166-1 alpha-2: {bad}")
    for i, adoption in enumerate(register.adoptions):
        if adoption.framework not in frameworks:
            raise InvalidInput(
                f"{ADOPTION_FILE}: adoptions[{i}].framework: unknown framework "
                f"{adoption.framework!r}"
            )
