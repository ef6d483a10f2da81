"""The ``gaio`` command. Errors end here: one line on stderr and exit code 2 (bad input) or 1."""

from __future__ import annotations

import importlib
import json
import sys
from typing import Annotated

import typer

from gaio import __version__
from gaio.cli import exchange, ledger, orgs, systems, users
from gaio.cli import licences as licence_cmds
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


def _mount() -> None:
    from gaio.cli import demo, serve

    app.add_typer(orgs.app, name="org")
    app.add_typer(licence_cmds.app, name="licence")
    app.add_typer(systems.app, name="system")
    app.add_typer(ledger.app, name="ledger")
    app.add_typer(users.app, name="user")
    app.command("export")(exchange.export_cmd)
    app.command("import")(exchange.import_cmd)
    app.command("demo")(demo.demo)
    app.command("serve")(serve.serve)
    for name, module, attr in _CAPABILITY_FACES:
        app.add_typer(getattr(importlib.import_module(module), attr), name=name)
    for name, module, attr in _CAPABILITY_COMMANDS:
        app.command(name)(getattr(importlib.import_module(module), attr))


_CAPABILITY_FACES = [
    ("catalog", "gaio.catalog.cli", "app"),
    ("evaluate", "gaio.evaluation.cli", "app"),
    ("incident", "gaio.incidents.cli", "app"),
    ("assess", "gaio.certification.cli", "assess_app"),
    ("certificate", "gaio.certification.cli", "certificate_app"),
    ("report", "gaio.certification.cli", "report_app"),
]
_CAPABILITY_COMMANDS = [
    ("classify", "gaio.rules.cli", "classify_cmd"),
]

_mount()


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
    sys.exit(main())
