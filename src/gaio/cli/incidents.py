"""``gaio incident``: report, read, search, de-duplicate, label, import and export incidents,
and follow the legal reporting clocks."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Annotated, Any

import typer

from gaio.cli.output import (
    FormatOpt,
    console,
    emit_json,
    fields,
    listing,
    note,
    progress_bar,
    table,
    text,
)
from gaio.cli.state import State
from gaio.errors import InvalidInput, LikelyDuplicates
from gaio.incidents.model import Kind, SeriousGround, Severity
from gaio.incidents.taxonomy import parse_label
from gaio.inputs import load_json, load_yaml, read_text

app = typer.Typer(
    help="AI incidents, hazards and near misses: report, search, de-duplicate, label, "
    "import the AIID, export open data, follow Art. 73 reporting clocks.",
    no_args_is_help=True,
)

Json = Annotated[bool, typer.Option("--json", help="print JSON")]
Limit = Annotated[int, typer.Option("--limit", help="page size (1-1000)")]
Offset = Annotated[int, typer.Option("--offset", help="skip this many results")]
Many = Annotated[list[str] | None, typer.Option()]


def _state(ctx: typer.Context) -> State:
    state: State = ctx.obj
    return state


def _draft_file(path: Path) -> dict[str, Any]:
    raw = read_text(path, "draft")
    data = load_json(raw, str(path)) if path.suffix == ".json" else load_yaml(raw, str(path))
    if not isinstance(data, dict):
        raise InvalidInput(f"{path}: expected a mapping of incident fields")
    return data


@app.command("report")
def report(
    ctx: typer.Context,
    title: Annotated[str | None, typer.Option(help="what happened, in one line")] = None,
    description: Annotated[str, typer.Option(help="what happened")] = "",
    kind: Annotated[
        Kind, typer.Option(help="incident, hazard, near-miss or issue")
    ] = Kind.INCIDENT,
    occurred: Annotated[str | None, typer.Option(help="YYYY, YYYY-MM or YYYY-MM-DD")] = None,
    aware: Annotated[str | None, typer.Option(help="when the provider became aware")] = None,
    reported: Annotated[str | None, typer.Option(help="YYYY-MM-DD (default today)")] = None,
    country: Many = None,
    sector: Many = None,
    deployer: Many = None,
    developer: Many = None,
    harmed: Many = None,
    system: Annotated[list[str] | None, typer.Option(help="linked system ID[@VERSION]")] = None,
    severity: Annotated[Severity | None, typer.Option()] = None,
    serious: Annotated[list[SeriousGround] | None, typer.Option(help="Art. 3(49) ground")] = None,
    confidential: Annotated[str | None, typer.Option(help="visible to provider/regulators")] = None,
    url: Annotated[str | None, typer.Option(help="source URL of the report")] = None,
    report_text: Annotated[str | None, typer.Option("--text", help="the report's text")] = None,
    from_file: Annotated[Path | None, typer.Option("--file", help="draft as YAML/JSON")] = None,
    new: Annotated[bool, typer.Option("--new", help="save even if duplicates are likely")] = False,
    duplicate_of: Annotated[
        list[int] | None, typer.Option("--duplicate-of", help="add as a report of this incident")
    ] = None,
    as_json: Json = False,
) -> None:
    """Report an incident; likely duplicates are shown first and nothing is saved."""
    from gaio.services.incidents import intake as incidents

    state = _state(ctx)
    data: dict[str, Any] = _draft_file(from_file) if from_file else {}
    given = {
        "title": title,
        "description": description or None,
        "kind": kind.value if kind is not Kind.INCIDENT or "kind" not in data else None,
        "occurred": occurred,
        "aware": aware,
        "reported": reported,
        "countries": country,
        "sectors": sector,
        "deployers": deployer,
        "developers": developer,
        "harmed": harmed,
        "systems": system,
        "severity": severity.value if severity else None,
        "serious": [s.value for s in serious] if serious else None,
        "confidential": confidential,
        "url": url,
        "report_text": report_text,
    }
    data.update({k: v for k, v in given.items() if v is not None})
    data.setdefault("title", "")
    try:
        outcome = incidents.report_incident(
            state.gaio(), state.actor, data, check_duplicates=not new, attach_to=duplicate_of
        )
    except LikelyDuplicates as exc:
        if as_json:
            emit_json({"ok": False, "saved": False, "candidates": exc.hits})
        else:
            _hits_table("likely duplicates (nothing saved)", exc.hits)
        note(f"error: {exc.message}")
        raise typer.Exit(2) from None
    if as_json:
        emit_json(outcome)
    elif outcome.moderation != "approved":
        typer.echo(
            f"saved (incident {outcome.incident_ids[0]}, report {outcome.report_id}); it "
            "appears once a moderator approves it"
        )
    elif outcome.created:
        typer.echo(f"reported incident {outcome.incident_ids[0]}")
    else:
        ids = ", ".join(str(i) for i in outcome.incident_ids)
        typer.echo(f"added report {outcome.report_id} to incident(s) {ids}")


def _hits_table(title: str, hits: list[Any]) -> None:
    table(
        title,
        ["id", "score", "cosine", "entities", "url", "title"],
        [
            (h.id, f"{h.score:.3f}", h.signals.cosine, h.signals.entities, h.signals.url, h.title)
            for h in hits
        ],
    )


@app.command("show")
def show(
    ctx: typer.Context,
    incident_id: Annotated[int, typer.Argument(metavar="ID")],
    as_json: Json = False,
) -> None:
    """Show an incident (a merged id shows the incident it joined)."""
    from gaio.services.incidents import intake as incidents

    state = _state(ctx)
    inc = incidents.get_incident(state.gaio(), state.actor, incident_id)
    if as_json:
        emit_json(inc)
        return
    if inc.id != incident_id:
        note(f"incident {incident_id} was merged; showing {inc.id}")
    fields(
        f"#{inc.id} {inc.title}",
        [
            ("kind", inc.kind.value),
            ("status", inc.status.value),
            ("occurred", inc.occurred),
            ("aware", inc.aware),
            ("reported", inc.reported),
            ("countries", inc.countries),
            ("sectors", inc.sectors),
            ("deployers", inc.deployers),
            ("developers", inc.developers),
            ("harmed", inc.harmed),
            ("systems", inc.systems),
            ("severity", inc.severity.value if inc.severity else None),
            ("serious", [s.value for s in inc.serious]),
            ("merged from", inc.merged_from),
            ("source", inc.source),
        ],
    )
    console.print(f"  {text(inc.description)}")
    if inc.confidential is not None:
        console.print(f"  [bold]confidential:[/bold] {text(inc.confidential)}")
    table("reports", ["id", "title", "url"], [(r.id, r.title, r.url) for r in inc.reports])
    table(
        "labels",
        ["id", "label", "origin", "by", "confidence", "status"],
        [
            (
                lab.id,
                f"{lab.taxonomy}:{lab.field}={lab.value}",
                lab.origin.value,
                lab.made_by,
                lab.confidence,
                lab.status.value,
            )
            for lab in inc.labels
        ],
    )
    _obligations(inc.obligations)


OBLIGATION_COLUMNS = ["incident", "system", "provider", "deadline", "days left", "status", "basis"]


def _obligation_rows(found: list[Any]) -> list[tuple[object, ...]]:
    return [
        (
            o.incident_id,
            o.system_id,
            o.provider,
            o.deadline,
            f"{o.days_left} OVERDUE" if o.overdue else o.days_left,
            o.status,
            o.basis,
        )
        for o in found
    ]


def _obligations(found: list[Any]) -> None:
    if found:
        table(
            "reporting obligations (EU AI Act Art. 73)",
            OBLIGATION_COLUMNS,
            _obligation_rows(found),
        )


def _page(title: str, page: Any) -> None:
    table(
        f"{title}: {len(page.items)} of {page.total} (offset {page.offset})",
        ["id", "kind", "occurred", "severity", "serious", "title"],
        [(i.id, i.kind.value, i.occurred, i.severity, i.serious, i.title) for i in page.items],
    )


@app.command("list")
def list_(
    ctx: typer.Context,
    limit: Limit = 50,
    offset: Offset = 0,
    merged: Annotated[bool, typer.Option("--merged", help="include merged incidents")] = False,
    as_json: Json = False,
) -> None:
    """List incidents by id, a page at a time."""
    from gaio.services.incidents import intake as incidents

    state = _state(ctx)
    page = incidents.list_incidents(
        state.gaio(), state.actor, limit=limit, offset=offset, include_merged=merged
    )
    emit_json(page) if as_json else _page("incidents", page)


@app.command("search")
def search(
    ctx: typer.Context,
    query: Annotated[
        str | None, typer.Argument(help="words to search for (all must match)")
    ] = None,
    kind: Many = None,
    label: Annotated[list[str] | None, typer.Option(help="TAXONOMY:FIELD=VALUE")] = None,
    country: Many = None,
    sector: Many = None,
    entity: Many = None,
    system: Many = None,
    severity: Many = None,
    serious: Annotated[bool | None, typer.Option("--serious/--not-serious")] = None,
    since: Annotated[str | None, typer.Option("--from", help="occurred on or after")] = None,
    until: Annotated[str | None, typer.Option("--to", help="occurred on or before")] = None,
    limit: Limit = 20,
    offset: Offset = 0,
    as_json: Json = False,
) -> None:
    """Full-text search with facets."""
    from gaio.services.incidents import search as incident_search

    state = _state(ctx)
    try:
        filters = incident_search.Filters(
            kind=kind or [],
            label=label or [],
            country=country or [],
            sector=sector or [],
            entity=entity or [],
            system=system or [],
            severity=severity or [],
            serious=serious,
            occurred_from=date.fromisoformat(since) if since else None,
            occurred_to=date.fromisoformat(until) if until else None,
        )
    except ValueError as exc:
        raise InvalidInput(f"--from/--to: {exc}") from None
    page = incident_search.search(
        state.gaio(), state.actor, query, filters, limit=limit, offset=offset
    )
    if as_json:
        emit_json(page)
        return
    _page(f"search {query or ''}".strip(), page)
    for facet, counts in page.facets.items():
        shown = ", ".join(f"{v} ({n})" for v, n in list(counts.items())[:8])
        console.print(f"  [bold]{text(facet)}[/bold]: {text(shown)}")


@app.command("similar")
def similar(
    ctx: typer.Context,
    incident_id: Annotated[int | None, typer.Argument(metavar="[ID]")] = None,
    with_text: Annotated[
        str | None, typer.Option("--text", help="find incidents like this")
    ] = None,
    limit: Annotated[int, typer.Option("--limit", help="how many (K)")] = 10,
    as_json: Json = False,
) -> None:
    """Incidents most similar to an incident or a text."""
    from gaio.services.incidents import similar as incident_similar

    state = _state(ctx)
    hits = incident_similar.similar(
        state.gaio(), state.actor, incident_id=incident_id, text=with_text, limit=limit
    )
    emit_json(hits) if as_json else _hits_table("similar incidents", hits)


@app.command("merge")
def merge(
    ctx: typer.Context,
    source: Annotated[int, typer.Argument(metavar="SOURCE")],
    target: Annotated[int, typer.Argument(metavar="TARGET")],
    reason: Annotated[str, typer.Option(help="why (recorded in the ledger)")] = "",
    as_json: Json = False,
) -> None:
    """Merge SOURCE into TARGET; SOURCE keeps its id and redirects (editors)."""
    from gaio.services.incidents import intake as incidents

    state = _state(ctx)
    inc = incidents.merge(state.gaio(), state.actor, source, target, reason)
    emit_json(inc) if as_json else typer.echo(f"merged {source} into {inc.id}")


@app.command("unmerge")
def unmerge(
    ctx: typer.Context,
    source: Annotated[int, typer.Argument(metavar="ID")],
    reason: Annotated[str, typer.Option(help="why (recorded in the ledger)")] = "",
    as_json: Json = False,
) -> None:
    """Undo the merge of ID (editors)."""
    from gaio.services.incidents import intake as incidents

    state = _state(ctx)
    inc = incidents.unmerge(state.gaio(), state.actor, source, reason)
    emit_json(inc) if as_json else typer.echo(f"incident {inc.id} stands alone again")


@app.command("duplicate")
def duplicate(
    ctx: typer.Context,
    a: Annotated[int, typer.Argument(metavar="A")],
    b: Annotated[int, typer.Argument(metavar="B")],
    reject: Annotated[bool, typer.Option("--reject", help="not duplicates")] = False,
    note_: Annotated[str, typer.Option("--note")] = "",
    as_json: Json = False,
) -> None:
    """Confirm (or --reject) that A and B are duplicates; similarity search uses it (editors)."""
    from gaio.services.incidents import similar as incident_similar

    state = _state(ctx)
    decision = "rejected" if reject else "confirmed"
    incident_similar.decide_pair(state.gaio(), state.actor, a, b, decision, note_)
    emit_json({"a": a, "b": b, "decision": decision}) if as_json else typer.echo(
        f"{a} and {b}: duplicate {decision}"
    )


@app.command("moderation")
def moderation(
    ctx: typer.Context, limit: Limit = 50, offset: Offset = 0, as_json: Json = False
) -> None:
    """Incidents and reports awaiting moderation (regulators and admins)."""
    from gaio.services.incidents import moderation as incident_moderation

    state = _state(ctx)
    items = incident_moderation.queue(state.gaio(), state.actor, limit=limit, offset=offset)
    if as_json:
        emit_json(items)
        return
    table(
        "awaiting moderation",
        ["kind", "id", "incidents", "submitted", "title"],
        [(p.kind, p.id, p.incident_ids, p.created_at, p.title) for p in items],
    )


@app.command("moderate")
def moderate(
    ctx: typer.Context,
    kind: Annotated[str, typer.Argument(metavar="incident|report")],
    item_id: Annotated[int, typer.Argument(metavar="ID")],
    decision: Annotated[str, typer.Argument(metavar="approve|reject")],
    note_: Annotated[str, typer.Option("--note")] = "",
    as_json: Json = False,
) -> None:
    """Approve (publish) or reject an incident or report awaiting moderation."""
    from gaio.services.incidents import moderation as incident_moderation

    state = _state(ctx)
    result = incident_moderation.decide(state.gaio(), state.actor, kind, item_id, decision, note_)
    emit_json({"kind": kind, "id": item_id, "moderation": result}) if as_json else typer.echo(
        f"{kind} {item_id}: {result}"
    )


@app.command("label")
def label(
    ctx: typer.Context,
    incident_id: Annotated[int, typer.Argument(metavar="ID")],
    specs: Annotated[list[str] | None, typer.Argument(metavar="[TAXONOMY:FIELD=VALUE]...")] = None,
    suggest: Annotated[bool, typer.Option("--suggest", help="machine suggestions")] = False,
    accept: Annotated[list[int] | None, typer.Option("--accept", help="label id")] = None,
    reject: Annotated[list[int] | None, typer.Option("--reject", help="label id")] = None,
    as_json: Json = False,
) -> None:
    """Label an incident (a person's label), ask for suggestions, or accept/reject labels."""
    from gaio.services.incidents import labels as incident_labels

    state = _state(ctx)
    g, actor = state.gaio(), state.actor
    parsed = [parse_label(s) for s in specs or []]
    for tax, fld, value in parsed:
        incident_labels.add_label(g, actor, incident_id, tax, fld, value)
    for lid in accept or []:
        incident_labels.decide_label(g, actor, lid, True)
    for lid in reject or []:
        incident_labels.decide_label(g, actor, lid, False)
    if suggest:
        made = incident_labels.suggest(g, actor, incident_id)
        note(f"{len(made)} suggestion(s) stored for an editor to accept or reject")
    found = incident_labels.labels_of(g, actor, incident_id)
    if as_json:
        emit_json(found)
        return
    table(
        f"labels of incident {incident_id}",
        ["id", "label", "origin", "by", "model", "confidence", "status"],
        [
            (
                lab.id,
                f"{lab.taxonomy}:{lab.field}={lab.value}",
                lab.origin.value,
                lab.made_by,
                lab.model_version,
                lab.confidence,
                lab.status.value,
            )
            for lab in found
        ],
    )


@app.command("update")
def update(
    ctx: typer.Context,
    incident_id: Annotated[int, typer.Argument(metavar="ID")],
    kind: Annotated[Kind | None, typer.Option()] = None,
    status: Annotated[str | None, typer.Option(help="open, investigating or closed")] = None,
    severity: Annotated[Severity | None, typer.Option()] = None,
    serious: Annotated[list[SeriousGround] | None, typer.Option(help="Art. 3(49) ground")] = None,
    aware: Annotated[str | None, typer.Option(help="when the provider became aware")] = None,
    system: Annotated[list[str] | None, typer.Option(help="linked system ID[@VERSION]")] = None,
    as_json: Json = False,
) -> None:
    """Change an incident's assessment (editors, or the provider of a linked system)."""
    from gaio.services.incidents import intake as incidents

    state = _state(ctx)
    changes: dict[str, Any] = {
        "kind": kind.value if kind else None,
        "status": status,
        "severity": severity.value if severity else None,
        "serious": [s.value for s in serious] if serious else None,
        "aware": aware,
        "systems": system,
    }
    inc = incidents.update_incident(
        state.gaio(), state.actor, incident_id, {k: v for k, v in changes.items() if v is not None}
    )
    if as_json:
        emit_json(inc)
    else:
        typer.echo(f"updated incident {inc.id}")
        _obligations(inc.obligations)


@app.command("import-aiid")
def import_aiid(
    ctx: typer.Context,
    directory: Annotated[Path, typer.Argument(metavar="DIR", help="AIID snapshot directory")],
    as_json: Json = False,
) -> None:
    """Load an AI Incident Database snapshot (idempotent; all or nothing)."""
    from gaio.services.incidents import aiid as incident_aiid

    state = _state(ctx)
    with progress_bar("importing the AIID (steps)", enabled=not as_json) as update:
        summary = incident_aiid.import_aiid(state.gaio(), state.actor, directory, progress=update)
    if as_json:
        emit_json(summary)
        return
    for key, value in summary.model_dump().items():
        typer.echo(f"{key.replace('_', ' ')}: {value}")


@app.command("import-reports")
def import_reports(
    ctx: typer.Context,
    path: Annotated[Path, typer.Argument(metavar="FILE", help="reports CSV or JSON")],
    partial: Annotated[
        bool, typer.Option("--partial", help="import the good rows and list the bad ones")
    ] = False,
    as_json: Json = False,
) -> None:
    """Import report metadata (title, URL, outlet, authors, date), e.g. the AIID reports
    export; all or nothing unless --partial (editors)."""
    from gaio.services.incidents import reports as incident_reports

    state = _state(ctx)
    out = incident_reports.import_reports(state.gaio(), state.actor, path, partial=partial)
    if as_json:
        emit_json(out)
        return
    for line in out.bad_rows:
        note(f"skipped: {line}")
    typer.echo(
        f"reports: {out.added} added, {out.updated} updated, {out.unchanged} unchanged; "
        f"{out.entities_added} outlets added; {len(out.bad_rows)} bad row(s) skipped"
    )


@app.command("reports")
def list_reports(
    ctx: typer.Context,
    q: Annotated[str | None, typer.Option("--q", help="words in the title or URL")] = None,
    outlet: Annotated[str | None, typer.Option(help="outlet name or domain")] = None,
    incident: Annotated[int | None, typer.Option(help="reports of this incident")] = None,
    limit: Limit = 50,
    offset: Offset = 0,
    as_json: Json = False,
) -> None:
    """Reports (sources): title, outlet, URL, the incidents they concern."""
    from gaio.services.incidents import reports as incident_reports

    state = _state(ctx)
    total, items = incident_reports.list_reports(
        state.gaio(),
        state.actor,
        query=q,
        outlet=outlet,
        incident_id=incident,
        limit=limit,
        offset=offset,
    )
    if as_json:
        emit_json({"total": total, "items": items})
        return
    table(
        f"reports ({total})",
        ["id", "incidents", "outlet", "title", "url"],
        [(r.id, r.incident_ids, r.outlet, r.title, r.url_canonical) for r in items],
    )


@app.command("import")
def import_mapped(
    ctx: typer.Context,
    path: Annotated[Path, typer.Argument(metavar="FILE", help="CSV or JSON")],
    mapping: Annotated[
        str, typer.Option("--mapping", help="aiaaic, oecd-aim or a YAML mapping file")
    ],
    partial: Annotated[
        bool, typer.Option("--partial", help="import the good rows and list the bad ones")
    ] = False,
    as_json: Json = False,
) -> None:
    """Import another incident database (AIAAIC, OECD AIM-style, any CSV/JSON with a YAML
    column mapping); confident matches become reports of known incidents, likely ones
    pending pairs for editors; idempotent, all or nothing unless --partial (editors)."""
    from gaio.services.incidents import importer

    state = _state(ctx)
    out = importer.import_mapped(
        state.gaio(), state.actor, path, importer.load_mapping(mapping), partial=partial
    )
    if as_json:
        emit_json(out)
        return
    for line in out.bad_rows:
        note(f"skipped: {line}")
    typer.echo(
        f"{out.source}: {out.added} new incidents, {out.linked} linked to known incidents, "
        f"{out.pending_pairs} pending pairs, {out.unchanged} already imported, "
        f"{len(out.bad_rows)} bad row(s) skipped"
    )


@app.command("pairs")
def pairs(ctx: typer.Context, limit: Limit = 50, as_json: Json = False) -> None:
    """Likely duplicate pairs awaiting an editor, with the evidence side by side; decide with
    'gaio incident duplicate A B [--reject]'."""
    from gaio.services.incidents import similar as incident_similar

    state = _state(ctx)
    items = incident_similar.pending_pairs(state.gaio(), state.actor, limit)
    if as_json:
        emit_json(items)
        return
    table(
        "pending duplicate pairs",
        ["a", "b", "title a", "title b", "dates", "shared entities", "shared urls"],
        [
            (p.a, p.b, p.titles[0], p.titles[1], p.occurred, p.shared_entities, p.shared_urls)
            for p in items
        ],
    )


@app.command("export")
def export(
    ctx: typer.Context,
    directory: Annotated[Path, typer.Argument(metavar="DIR")],
    fmt: Annotated[str, typer.Option("--format", help="csv, jsonl or parquet")] = "csv",
    as_json: Json = False,
) -> None:
    """Export incidents, reports, links, labels and entities (public parts only)."""
    from gaio.services.incidents import export as incident_export

    state = _state(ctx)
    with progress_bar("exporting tables", enabled=not as_json) as update:
        counts = incident_export.export(state.gaio(), state.actor, directory, fmt, progress=update)
    if as_json:
        emit_json(counts)
        return
    for name, count in counts.items():
        typer.echo(f"{directory / (name + '.' + fmt)}: {count} rows")


@app.command("due")
def due(
    ctx: typer.Context,
    all_: Annotated[bool, typer.Option("--all", help="include reported and closed")] = False,
    as_json: Json = False,
    fmt: FormatOpt = "table",
) -> None:
    """Open Art. 73 reporting obligations, least time left first; the overdue flagged."""
    from gaio.services.incidents import clocks as incident_clocks

    state = _state(ctx)
    found = incident_clocks.due(state.gaio(), state.actor, include_closed=all_)
    if not found and fmt == "table" and not as_json:
        typer.echo("no open reporting obligations")
        return
    listing(
        "json" if as_json else fmt,
        "reporting obligations (EU AI Act Art. 73)",
        OBLIGATION_COLUMNS,
        _obligation_rows(found),
        found,
    )


@app.command("submit")
def submit(
    ctx: typer.Context,
    incident_id: Annotated[int, typer.Argument(metavar="ID")],
    system: Annotated[str, typer.Option(help="the linked system the duty is for")],
    kind: Annotated[str, typer.Option(help="initial, follow-up or final")] = "initial",
    note_: Annotated[str, typer.Option("--note", help="reference or summary of the report")] = "",
    as_json: Json = False,
) -> None:
    """Record a report sent to the market surveillance authority (Art. 73(5))."""
    from gaio.services.incidents import clocks as incident_clocks

    state = _state(ctx)
    ob = incident_clocks.submit(state.gaio(), state.actor, incident_id, system, kind, note_)
    emit_json(ob) if as_json else typer.echo(f"{kind} report recorded; status {ob.status}")


@app.command("history")
def history(
    ctx: typer.Context,
    incident_id: Annotated[int, typer.Argument(metavar="ID")],
    as_json: Json = False,
) -> None:
    """The incident's ledger entries, oldest first."""
    from gaio.services.incidents import intake as incidents

    state = _state(ctx)
    found = incidents.history(state.gaio(), state.actor, incident_id)
    if as_json:
        emit_json(found)
        return
    table(
        f"history of incident {incident_id}",
        ["seq", "when", "who", "action", "subject"],
        [(e.seq, e.time, e.actor, e.action, e.subject) for e in found],
    )
