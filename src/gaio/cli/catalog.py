"""``gaio catalog …``: browse frameworks, map requirements across them, export OSCAL.

Errors are raised as :class:`gaio.errors.GaioError` and not caught here: the main app prints one
line and exits 2 for bad input. ``--json`` prints the result as JSON (the same models the API
serves); otherwise Rich tables, with every value from the data escaped.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Annotated, Any

import typer
from pydantic import BaseModel
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from gaio.catalog import oscal, query
from gaio.catalog.loader import load_catalog
from gaio.errors import InvalidInput

app = typer.Typer(
    no_args_is_help=True,
    help="Governance frameworks as versioned data: list, show, map requirements across "
    "frameworks, coverage between frameworks, adoption, OSCAL export.",
)

JsonOpt = Annotated[bool, typer.Option("--json", help="Print the result as JSON.")]
VersionOpt = Annotated[
    str | None, typer.Option("--version", "-V", help="Framework version by name.")
]
OnOpt = Annotated[
    str | None,
    typer.Option("--on", metavar="YYYY-MM-DD", help="The version in force on this date."),
]

_console = Console(highlight=False, soft_wrap=False, width=None if sys.stdout.isatty() else 160)


def _date(value: str | None, option: str = "--on") -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError as exc:
        raise InvalidInput(f"{option} {value!r} is not a date (YYYY-MM-DD)") from exc


def _emit_json(value: Any) -> None:
    if isinstance(value, BaseModel):
        value = value.model_dump(mode="json")
    elif isinstance(value, list):
        value = [v.model_dump(mode="json") if isinstance(v, BaseModel) else v for v in value]
    typer.echo(json.dumps(value, indent=2, ensure_ascii=False))


def _cell(value: object) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, list | tuple):
        return escape(", ".join(str(v) for v in value)) or "—"
    return escape(str(value))


def _table(title: str, columns: Sequence[str], rows: Iterable[Sequence[object]]) -> None:
    table = Table(title=escape(title), title_justify="left")
    for column in columns:
        table.add_column(column)
    for row in rows:
        table.add_row(*(_cell(v) for v in row))
    _console.print(table)


@app.command("list")
def list_cmd(as_json: JsonOpt = False) -> None:
    """List the frameworks, their versions and the version in force today."""
    summaries = query.list_frameworks()
    if as_json:
        _emit_json(summaries)
        return
    _table(
        "Frameworks",
        ["id", "name", "kind", "current", "versions", "jurisdictions"],
        (
            (
                s.id,
                s.short_name,
                s.kind,
                s.current_version,
                [v.version for v in s.versions],
                s.adopted_by,
            )
            for s in summaries
        ),
    )


@app.command()
def show(
    framework: Annotated[
        str,
        typer.Argument(
            help="Framework id (eu-ai-act, nist-ai-rmf, …), id@version, or a requirement id "
            "such as eu-ai-act:art-5-1-f."
        ),
    ],
    version: VersionOpt = None,
    on: OnOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Show one version of a framework with all its items, or one requirement."""
    day = _date(on)
    if ":" in framework:
        item = query.get_item(framework, version, day)
        if as_json:
            _emit_json(item)
            return
        _table(
            item.id,
            ["field", "value"],
            ((k, v) for k, v in item.model_dump(mode="json").items() if v not in (None, [], ())),
        )
        return
    chosen = query.show_framework(framework, version, day)
    if as_json:
        _emit_json(chosen)
        return
    _console.print(
        f"[bold]{escape(chosen.name)}[/bold] ({escape(chosen.ref)}, {chosen.status})\n"
        f"{escape(chosen.source.title)}"
    )
    _table(
        f"{chosen.ref}: {len(chosen.items)} items",
        ["id", "kind", "role", "citation", "title", "applies from"],
        (
            (i.local_id, i.kind, i.role, i.citation, i.title, i.applies_from or i.date)
            for i in chosen.items
        ),
    )


@app.command("map")
def map_cmd(
    requirement: Annotated[str, typer.Argument(help="Requirement id, e.g. eu-ai-act:art-50-1.")],
    as_json: JsonOpt = False,
) -> None:
    """Show the requirements of other frameworks related to REQUIREMENT, with rationale."""
    mappings = query.map_requirement(requirement)
    if as_json:
        _emit_json(mappings)
        return
    _table(
        f"{requirement}: {len(mappings)} related requirements",
        ["relationship", "related", "title", "rationale"],
        ((m.relationship, m.related, m.related_title, m.rationale) for m in mappings),
    )


@app.command("coverage")
def coverage_cmd(
    source: Annotated[str, typer.Argument(metavar="FROM", help="Framework whose items to cover.")],
    target: Annotated[str, typer.Argument(metavar="TO", help="Framework that covers them.")],
    from_version: Annotated[str | None, typer.Option("--from-version")] = None,
    to_version: Annotated[str | None, typer.Option("--to-version")] = None,
    on: OnOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """How many requirements of FROM are covered by TO, by relation type."""
    report = query.coverage(
        source, target, source_version=from_version, target_version=to_version, on=_date(on)
    )
    if as_json:
        _emit_json(report)
        return
    _table(
        f"{report.source} covered by {report.target}: {report.covered}/{report.total} "
        f"({report.percentage}%), fully {report.fully_covered}",
        ["relationship", "requirements"],
        report.by_relationship.items(),
    )
    _table(
        "Requirements",
        ["requirement", "citation", "relationship", "covered by"],
        ((r.item, r.citation, r.relationship or "none", r.targets) for r in report.rows),
    )


@app.command()
def adoption(
    framework: Annotated[str | None, typer.Option("--framework", "-f")] = None,
    jurisdiction: Annotated[
        str | None, typer.Option("--jurisdiction", "-j", help="ISO 3166-1 alpha-2 code or EU.")
    ] = None,
    on: OnOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Which jurisdictions adopted, signed, endorsed or enforce which framework."""
    records = query.adoptions(framework, jurisdiction, _date(on))
    if as_json:
        _emit_json(records)
        return
    _table(
        "Adoption",
        ["jurisdiction", "framework", "status", "date", "source"],
        ((a.jurisdiction, a.framework, a.status, a.date, a.source) for a in records),
    )


@app.command("export-oscal")
def export_oscal(
    what: Annotated[
        str,
        typer.Argument(metavar="FRAMEWORK|crosswalk", help="Framework id[@version] or crosswalk."),
    ],
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write to this file instead of stdout.")
    ] = None,
    version: VersionOpt = None,
    on: OnOpt = None,
) -> None:
    """Export a framework version as an OSCAL 1.2.1 catalog, or the crosswalk as a mapping."""
    if what == "crosswalk":
        document = oscal.mapping_document(load_catalog())
    else:
        document = oscal.catalog_document(query.show_framework(what, version, _date(on)))
    text = json.dumps(document, indent=2, ensure_ascii=False) + "\n"
    if output is None:
        sys.stdout.write(text)
        return
    try:
        output.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise InvalidInput(f"cannot write {str(output)!r}: {exc.strerror}") from exc
    typer.echo(f"wrote {output}", err=True)
