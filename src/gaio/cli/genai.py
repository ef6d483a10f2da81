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


SystemOpt = Annotated[
    str | None,
    typer.Option(
        "--system",
        metavar="ID[@VERSION]",
        help="Store the result as evidence of this system version and record it in the ledger.",
    ),
]


def _target(ctx: typer.Context, system: str | None) -> str | None:
    if system is None:
        return None
    from gaio.services.evaluation.evidence import resolve_target

    system_id, version = resolve_target(ctx.obj.gaio(), ctx.obj.actor, system)
    return f"{system_id}@{version}"


def _store(
    ctx: typer.Context, target: str, kind: str, text: str, summary: dict[str, object]
) -> None:
    import sys

    from gaio.services.evaluation.evidence import store_document

    stored = store_document(
        ctx.obj.gaio(),
        ctx.obj.actor,
        target,
        kind=kind,
        data=(text + "\n").encode("utf-8"),
        media_type="application/json",
        summary=summary,
    )
    sys.stderr.write(f"stored as evidence {stored.id} (sha256 {stored.sha256})\n")


@app.command("run")
def run(
    ctx: typer.Context,
    spec: Annotated[Path, typer.Argument(help="Test specification (YAML).")],
    model: Annotated[
        str,
        typer.Option(
            "--model",
            "-m",
            help="PROVIDER/MODEL as Inspect names it (openai/…, hf/…, mockllm/model); "
            "mockllm/random answers at random.",
        ),
    ],
    base_url: Annotated[
        str | None, typer.Option("--base-url", help="Endpoint of an OpenAI-compatible server.")
    ] = None,
    log_dir: Annotated[
        Path | None, typer.Option("--log-dir", help="Where Inspect writes its logs [temporary].")
    ] = None,
    system: SystemOpt = None,
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Also write here.")] = None,
    as_json: JsonOpt = False,
) -> None:
    """Run a spec's suites on a model through Inspect; score, check reliability, judge."""
    import sys
    import tempfile

    from gaio.evaluation.genai.items import load_pack
    from gaio.evaluation.genai.runner import require_inspect, run_spec
    from gaio.evaluation.genai.spec import check_against_pack, load_spec

    loaded = load_spec(spec)
    check_against_pack(loaded, load_pack(loaded.pack), str(spec))
    require_inspect()
    target = _target(ctx, system)
    logs = log_dir or Path(tempfile.mkdtemp(prefix="gaio-genai-"))
    display = "rich" if (sys.stderr.isatty() and not as_json) else "none"
    result = run_spec(loaded, model, log_dir=logs, base_url=base_url, display=display)
    text = result.model_dump_json(indent=2)
    if output is not None:
        output.write_text(text + "\n", encoding="utf-8")
    if target is not None:
        summary: dict[str, object] = {
            "evaluation": "genai",
            "result_version": result.version,
            "verdict": result.verdict,
            "model": result.model,
        }
        _store(ctx, target, "evaluation-genai", text, summary)
    if as_json:
        typer.echo(text)
        return
    _print_summary(result)
    typer.echo(f"Inspect logs: {logs}", err=True)


def _print_summary(result: object) -> None:
    from rich.console import Console
    from rich.table import Table

    from gaio.evaluation.genai.result import GenaiResult

    assert isinstance(result, GenaiResult)
    console = Console()
    console.print(f"[bold]{result.model}[/bold]: verdict {result.verdict}")
    for reason in result.reasons:
        console.print(f"  - {reason}")
    if result.profile is not None:
        table = Table(title="Value profile (centred) and reliability")
        for col in ("value", "status", "centred", "interval", "alpha", "omega"):
            table.add_column(col)
        for v in result.profile.values:
            ci = v.centred_interval
            table.add_row(
                v.value,
                v.status,
                "–" if v.centred is None else f"{v.centred:+.2f}",
                "–" if ci is None else f"{ci[0]:+.2f} … {ci[1]:+.2f}",
                "–" if v.alpha is None else f"{v.alpha:.2f}",
                "–" if v.omega is None else f"{v.omega:.2f}",
            )
        console.print(table)
    for s in result.suites:
        rate = "–" if s.pass_rate is None else f"{s.pass_rate:.2f}"
        console.print(f"{s.suite}: {s.passed}/{s.samples} passed ({rate}) → {s.verdict}")


@app.command("report")
def report(
    result_file: Annotated[Path, typer.Argument(help="A genai result document (JSON).")],
    output: Annotated[Path, typer.Option("--output", "-o", help="HTML or .pdf file to write.")],
) -> None:
    """HTML report (radar chart, reliability table, suites); PDF when OUTPUT ends in .pdf."""
    from pydantic import ValidationError

    from gaio.errors import InvalidInput, MissingExtra
    from gaio.evaluation.genai.report import render_html
    from gaio.evaluation.genai.result import GenaiResult
    from gaio.inputs import load_json, read_text

    data = load_json(read_text(result_file, "result"), str(result_file))
    try:
        result = GenaiResult.model_validate(data)
    except ValidationError as exc:
        err = exc.errors(include_url=False)[0]
        loc = ".".join(str(p) for p in err.get("loc", ()))
        raise InvalidInput(f"{result_file}: not a genai result ({loc}: {err['msg']})") from None
    html = render_html(result)
    if output.suffix == ".pdf":
        from gaio.certification.report import pdf_available, render_pdf

        if not pdf_available():
            raise MissingExtra("pdf", "A PDF report")
        output.write_bytes(render_pdf(html))
    else:
        output.write_text(html, encoding="utf-8")
    typer.echo(f"wrote {output}")


@app.command("import")
def import_log(
    ctx: typer.Context,
    log: Annotated[Path, typer.Argument(help="An Inspect log (.eval or .json).")],
    system: Annotated[
        str,
        typer.Option("--system", metavar="ID[@VERSION]", help="System version it is evidence of."),
    ],
    as_json: JsonOpt = False,
) -> None:
    """Store an existing Inspect log's summary (task, model, scores, hash) as evidence."""
    from datetime import UTC, datetime

    from gaio.evaluation.genai.logs import read_log, summarise

    loaded = read_log(log)
    target = _target(ctx, system)
    assert target is not None
    doc = summarise(log, loaded, datetime.now(UTC))
    text = doc.model_dump_json(indent=2)
    summary: dict[str, object] = {
        "evaluation": "inspect-log",
        "task": doc.task,
        "model": doc.model,
        "log_sha256": doc.sha256,
    }
    _store(ctx, target, "evaluation-inspect-log", text, summary)
    typer.echo(text if as_json else f"imported {doc.task} on {doc.model} ({doc.samples} samples)")
