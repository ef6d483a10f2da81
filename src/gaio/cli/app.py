"""The ``gaio`` command. Errors end here: one line on stderr and exit code 2 (bad input) or 1."""

from __future__ import annotations

import gc
import json
import sys
from typing import Annotated

import typer

from gaio import __version__
from gaio.cli.lazy import LAZY, LazyGroup
from gaio.cli.state import State
from gaio.errors import ErrorReport, GaioError

app = typer.Typer(
    name="gaio",
    help="gaio, the Global AI Observatory: registries, classification, evaluation, "
    "certification, a transparency ledger and incidents for AI governance.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    cls=LazyGroup,
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"gaio {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    ctx: typer.Context,
    acting_as: Annotated[
        str | None,
        typer.Option(
            "--as",
            metavar="ROLE[:ORG[:NAME]]",
            help="act as this actor (default: GAIO_ACTOR_* settings, an administrator)",
        ),
    ] = None,
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="print the version")
    ] = False,
) -> None:
    state = State(acting_as=acting_as)
    ctx.obj = state
    ctx.call_on_close(state.close)


@app.command()
def init(ctx: typer.Context) -> None:
    """Create the data directory, the database and the ledger key; apply migrations."""
    state: State = ctx.obj
    g = state.gaio(create=True)
    typer.echo(f"gaio is ready in {state.settings.home}")
    typer.echo(f"  database:   {g.engine.url.render_as_string(hide_password=True)}")
    typer.echo(f"  ledger key: {state.settings.key_path} (public key: 'gaio ledger key')")


# Every other command is imported when it runs (see gaio.cli.lazy); the order is --help's.
LAZY.update(
    {
        "export": ("command", "gaio.cli.exchange", "export_cmd"),
        "import": ("command", "gaio.cli.exchange", "import_cmd"),
        "demo": ("command", "gaio.cli.demo", "demo"),
        "serve": ("command", "gaio.cli.serve", "serve"),
        "doctor": ("command", "gaio.cli.doctor", "doctor"),
        "classify": ("command", "gaio.cli.classify", "classify_cmd"),
        "org": ("group", "gaio.cli.orgs", "app"),
        "licence": ("group", "gaio.cli.licences", "app"),
        "system": ("group", "gaio.cli.systems", "app"),
        "ledger": ("group", "gaio.cli.ledger", "app"),
        "user": ("group", "gaio.cli.users", "app"),
        "catalog": ("group", "gaio.cli.catalog", "app"),
        "evaluate": ("group", "gaio.cli.evaluate", "app"),
        "incident": ("group", "gaio.cli.incidents", "app"),
        "assess": ("group", "gaio.cli.assess", "assess_app"),
        "certificate": ("group", "gaio.cli.certificates", "certificate_app"),
        "report": ("group", "gaio.cli.reports", "report_app"),
        "keys": ("group", "gaio.cli.keys", "app"),
        "opendata": ("group", "gaio.cli.opendata", "app"),
        "consult": ("group", "gaio.cli.consult", "app"),
        "provenance": ("group", "gaio.cli.provenance", "app"),
    }
)


def main(argv: list[str] | None = None) -> int:
    """Run the CLI and return its exit code (the console script calls :func:`run`).

    Usage errors are Typer's (exit 2); a :class:`GaioError` becomes one line on stderr (and
    the JSON error envelope on stdout under ``--json``) with the error's exit code.
    """
    args = list(sys.argv[1:] if argv is None else argv)
    try:
        app(args=args, prog_name="gaio")
    except SystemExit as exc:
        code = exc.code
        return code if isinstance(code, int) else (0 if code is None else 1)
    except GaioError as exc:
        if "--json" in args:
            sys.stdout.write(json.dumps(ErrorReport.of(exc).as_dict(), ensure_ascii=False) + "\n")
        sys.stderr.write(f"error: {_one_line(exc.message)}\n")
        return exc.exit_code
    except KeyboardInterrupt:
        sys.stderr.write("interrupted\n")
        return 130
    return 0


def _one_line(message: str) -> str:
    return " ".join(message.split())


def run() -> None:
    code = main()
    # Everything is written and closed by now. Freezing the heap spares the interpreter's final
    # garbage-collection passes over every object of every imported module (~20 ms of a
    # short command); objects are still released and atexit handlers still run.
    gc.freeze()
    sys.exit(code)
