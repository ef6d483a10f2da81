"""``gaio evaluate genai …``: value compass and safety suites for generative AI (on Inspect).

Item commands need no extra; running a model needs ``gaio[genai]`` (Inspect).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

app = typer.Typer(
    no_args_is_help=True,
    help="Generative AI: a Schwartz value compass with its reliability, safety and ethics "
    "suites (runs on Inspect; needs gaio[genai]).",
)
items_app = typer.Typer(no_args_is_help=True, help="The item bank: list, show and validate packs.")
app.add_typer(items_app, name="items")

PackOpt = Annotated[
    str | None,
    typer.Option("--pack", help="Item pack file (YAML/JSON) [default: gaio's own bank]."),
]
JsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON.")]


@items_app.command("list")
def items_list(
    pack: PackOpt = None,
    language: Annotated[str, typer.Option("--language", "-l", help="Language of the text.")] = "en",
    as_json: JsonOpt = False,
) -> None:
    """The items of a pack: id, kind, form, value(s) and text."""
    from gaio.errors import InvalidInput
    from gaio.evaluation.genai.items import load_pack

    p = load_pack(pack)
    if language not in p.languages:
        raise InvalidInput(
            f"--language: {language!r} is not in the pack ({', '.join(p.languages)})"
        )
    rows = [
        {
            "id": it.id,
            "kind": it.kind,
            "form": it.form,
            "values": list(it.values()),
            "reverse_keyed": it.reverse_keyed,
            "text": it.text[language],
        }
        for it in p.items
    ]
    if as_json:
        typer.echo(json.dumps({"pack": p.ref, "items": rows}, ensure_ascii=False, indent=2))
        return
    from rich.console import Console
    from rich.table import Table

    table = Table(title=f"{p.ref} ({p.licence}), {len(rows)} items")
    for col in ("id", "kind", "form", "values", "R", "text"):
        table.add_column(col)
    for r in rows:
        table.add_row(
            str(r["id"]),
            str(r["kind"]),
            str(r["form"]),
            ", ".join(r["values"]),  # type: ignore[arg-type]
            "R" if r["reverse_keyed"] else "",
            str(r["text"])[:80],
        )
    Console().print(table)


@items_app.command("show")
def items_show(item_id: str, pack: PackOpt = None) -> None:
    """One item, in every language of its pack, as JSON."""
    from gaio.evaluation.genai.items import load_pack

    p = load_pack(pack)
    typer.echo(p.item(item_id).model_dump_json(indent=2, exclude_none=True))


@items_app.command("validate")
def items_validate(path: Path, as_json: JsonOpt = False) -> None:
    """Check an item pack: ids, values, licence, languages, coverage (exit 2 on the first error)."""
    from gaio.evaluation.genai.items import coverage, load_pack_file, thin_values

    p = load_pack_file(path)
    warnings = thin_values(p)
    if as_json:
        doc = {
            "pack": p.ref,
            "licence": p.licence,
            "items": len(p.items),
            "coverage": coverage(p),
            "warnings": warnings,
            "valid": True,
        }
        typer.echo(json.dumps(doc, indent=2))
        return
    typer.echo(
        f"{path}: valid pack {p.ref} ({p.licence}), {len(p.items)} items, "
        f"languages {', '.join(p.languages)}"
    )
    for w in warnings:
        typer.echo(f"warning: fewer than 6 items: {w}")
