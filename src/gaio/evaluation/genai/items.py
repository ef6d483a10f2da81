"""Item packs: versioned, licence-tagged YAML/JSON banks of value items, and their validator.

A pack holds Likert portrait items (form A, and form B paraphrasing form A item by item,
some reverse-keyed) and scenario items whose two options express two values that conflict.
Every item carries the same id in every language of the pack, so translations stay tied to
the item they translate. Users load their own packs in the same format; a pack without a
licence is refused, because results built on it could not be published.
"""

from __future__ import annotations

from collections import Counter
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from gaio.errors import InvalidInput, NotFound
from gaio.evaluation.genai.values import VALUES
from gaio.inputs import load_json, load_yaml, read_text

MIN_ITEMS_PER_VALUE = 6
"""Per value and per Likert form: fewer gives reliability estimates too unstable to report."""


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Scale(_Model):
    min: int = 1
    max: int = 6


class Instructions(_Model):
    likert: str = Field(min_length=1, max_length=500)
    """With {min}, {max}, {low}, {high}: the answer format of Likert items."""
    low: str = Field(min_length=1, max_length=100)
    high: str = Field(min_length=1, max_length=100)
    scenario: str = Field(min_length=1, max_length=500)
    """With {first}, {second}: the answer format of scenario items."""


class Item(_Model):
    id: str = Field(min_length=1, max_length=64, pattern=r"^[a-z0-9][a-z0-9._-]*$")
    kind: Literal["likert", "scenario"]
    form: str = Field(min_length=1, max_length=8)
    value: str | None = None
    """The value a Likert item measures (None for scenarios)."""
    reverse_keyed: bool = False
    paraphrase_of: str | None = None
    options: dict[str, str] | None = None
    """Scenario items: option letter -> the value that choosing it expresses."""
    text: dict[str, str]
    """Language code -> the item's wording; every language of the pack is present."""
    option_text: dict[str, dict[str, str]] | None = None
    """Scenario items: language code -> option letter -> the option's wording."""
    provenance: str | None = None
    """Where the item came from when it differs from the pack's (e.g. generated, by which model)."""

    def values(self) -> tuple[str, ...]:
        if self.kind == "likert":
            return (self.value,) if self.value else ()
        return tuple((self.options or {}).values())


class ItemPack(_Model):
    version: Literal[1] = 1
    id: str = Field(min_length=1, max_length=64)
    pack_version: str = Field(min_length=1, max_length=32)
    title: str = Field(min_length=1, max_length=300)
    licence: str = Field(min_length=1, max_length=100)
    provenance: str = Field(min_length=1, max_length=1000)
    languages: list[str] = Field(min_length=1, max_length=20)
    scale: Scale = Scale()
    instructions: dict[str, Instructions]
    items: list[Item] = Field(min_length=1, max_length=20_000)

    @property
    def ref(self) -> str:
        return f"{self.id}@{self.pack_version}"

    def item(self, item_id: str) -> Item:
        for it in self.items:
            if it.id == item_id:
                return it
        raise NotFound(f"no item {item_id!r} in pack {self.ref}")

    def likert(self, form: str | None = None) -> list[Item]:
        return [i for i in self.items if i.kind == "likert" and (form is None or i.form == form)]

    def scenarios(self) -> list[Item]:
        return [i for i in self.items if i.kind == "scenario"]

    def forms(self) -> list[str]:
        return sorted({i.form for i in self.likert()})


def parse_pack(data: Any, source: str) -> ItemPack:
    """A pack from parsed YAML/JSON, with every structural and semantic problem as one line."""
    if not isinstance(data, dict):
        raise InvalidInput(
            f"{source}: an item pack is a mapping with 'items', got {type(data).__name__}"
        )
    if not data.get("licence"):
        raise InvalidInput(f"{source}: the pack has no 'licence' (e.g. CC-BY-4.0); refusing it")
    items = data.get("items")
    if isinstance(items, list):
        for n, raw in enumerate(items):
            if isinstance(raw, dict) and not raw.get("id"):
                raise InvalidInput(f"{source}: items[{n}] has no 'id'")
    try:
        pack = ItemPack.model_validate(data)
    except ValidationError as exc:
        err = exc.errors(include_url=False)[0]
        loc = ".".join(str(p) for p in err.get("loc", ()))
        raise InvalidInput(f"{source}: {loc}: {err.get('msg')}") from None
    check_pack(pack, source)
    return pack


def check_pack(pack: ItemPack, source: str) -> None:
    """Semantic checks: unique ids, known values, all languages, paraphrase links, coverage."""
    dupes = [i for i, n in Counter(it.id for it in pack.items).items() if n > 1]
    if dupes:
        raise InvalidInput(f"{source}: duplicate item id {dupes[0]!r}")
    ids = {it.id for it in pack.items}
    missing_instr = [lang for lang in pack.languages if lang not in pack.instructions]
    if missing_instr:
        raise InvalidInput(f"{source}: no instructions for language {missing_instr[0]!r}")
    if pack.scale.max - pack.scale.min < 1 or pack.scale.max - pack.scale.min > 10:
        raise InvalidInput(f"{source}: scale must span 2 to 11 points")
    for it in pack.items:
        where = f"{source}: item {it.id!r}"
        for value in it.values():
            if value not in VALUES:
                raise InvalidInput(
                    f"{where}: unknown value {value!r}; expected one of {', '.join(VALUES)}"
                )
        if it.kind == "likert" and it.value is None:
            raise InvalidInput(f"{where}: a Likert item needs 'value'")
        if it.kind == "scenario":
            opts = it.options or {}
            if sorted(opts) != ["A", "B"] or len(set(opts.values())) != 2:
                raise InvalidInput(f"{where}: a scenario needs options A and B with two values")
            for lang in pack.languages:
                texts = (it.option_text or {}).get(lang, {})
                if sorted(k for k, v in texts.items() if v.strip()) != ["A", "B"]:
                    raise InvalidInput(f"{where}: option_text.{lang} needs the texts of A and B")
        missing = [lang for lang in pack.languages if not it.text.get(lang, "").strip()]
        if missing:
            raise InvalidInput(f"{where}: no text in language {missing[0]!r}")
        extra = sorted(set(it.text) - set(pack.languages))
        if extra:
            raise InvalidInput(f"{where}: text in {extra[0]!r}, not a language of the pack")
        if it.paraphrase_of is not None and it.paraphrase_of not in ids:
            raise InvalidInput(f"{where}: paraphrase_of {it.paraphrase_of!r} is not an item id")


def coverage(pack: ItemPack) -> dict[str, dict[str, int]]:
    """Likert items per value per form, and scenario items per value (form "S")."""
    table: dict[str, dict[str, int]] = {v: {} for v in VALUES}
    for it in pack.items:
        for value in it.values():
            table[value][it.form] = table[value].get(it.form, 0) + 1
    return table


def thin_values(pack: ItemPack, minimum: int = MIN_ITEMS_PER_VALUE) -> list[str]:
    """Warnings for value/form cells below ``minimum`` items (a pack may still be used)."""
    out = []
    forms = pack.forms() + (["S"] if pack.scenarios() else [])
    for value, per_form in coverage(pack).items():
        for form in forms:
            if per_form.get(form, 0) < minimum:
                out.append(f"{value}: {per_form.get(form, 0)} items in form {form}")
    return out


def load_pack_file(path: Path) -> ItemPack:
    text = read_text(path, "item pack")
    data = load_json(text, str(path)) if path.suffix == ".json" else load_yaml(text, str(path))
    return parse_pack(data, str(path))


@cache
def builtin_pack() -> ItemPack:
    """gaio's own bank (CC-BY-4.0), shipped with the package."""
    ref = resources.files("gaio.evaluation.genai") / "data/items/schwartz-gaio-v1.yaml"
    text = ref.read_text(encoding="utf-8")
    return parse_pack(load_yaml(text, "schwartz-gaio-v1.yaml"), "schwartz-gaio-v1.yaml")


def load_pack(name: str | None) -> ItemPack:
    """The built-in pack for None or 'schwartz-gaio', otherwise a file path."""
    if name in (None, "schwartz-gaio", "schwartz-gaio@1.0.0"):
        return builtin_pack()
    return load_pack_file(Path(name))
