"""``gaio user``: accounts for the web UI and API tokens for programs."""

from __future__ import annotations

import os
from typing import Annotated

import typer

from gaio.actors import Role
from gaio.cli.output import emit_json, table
from gaio.cli.state import State
from gaio.errors import InvalidInput

app = typer.Typer(help="Users of organisations with roles; API tokens.", no_args_is_help=True)

Json = Annotated[bool, typer.Option("--json", help="print JSON")]


@app.command("add")
def add(
    ctx: typer.Context,
    username: Annotated[str, typer.Argument(help="login name (lower-case, digits, -)")],
    role: Annotated[Role, typer.Option(help="the user's role")],
    org: Annotated[str | None, typer.Option("--org", help="organisation (all but admins)")] = None,
    name: Annotated[str, typer.Option(help="display name")] = "",
    password_env: Annotated[
        str | None,
        typer.Option(help="read the password from this environment variable (for scripts)"),
    ] = None,
    as_json: Json = False,
) -> None:
    """Add a user (administrators only). The password is prompted for, never an argument."""
    from gaio.services.accounts import users as svc

    state: State = ctx.obj
    if password_env:
        password = os.environ.get(password_env)
        if not password:
            raise InvalidInput(f"--password-env: the variable {password_env} is not set")
    else:
        password = typer.prompt("password", hide_input=True, confirmation_prompt=True)
    user = svc.add_user(
        state.gaio(),
        state.actor,
        {
            "username": username,
            "role": role.value,
            "organisation": org,
            "display_name": name,
            "password": password,
        },
    )
    if as_json:
        emit_json(user)
    else:
        typer.echo(
            f"added user {user.username} ({user.role.value}"
            f"{' of ' + user.organisation if user.organisation else ''})"
        )


@app.command("list")
def list_(ctx: typer.Context, as_json: Json = False) -> None:
    """List users (administrators only)."""
    from gaio.services.accounts import users as svc

    state: State = ctx.obj
    users = svc.list_users(state.gaio(), state.actor)
    if as_json:
        emit_json(users)
        return
    table(
        f"{len(users)} users",
        ["username", "role", "organisation", "name", "disabled"],
        [(u.username, u.role.value, u.organisation, u.display_name, u.disabled) for u in users],
    )


@app.command("token")
def token(
    ctx: typer.Context,
    username: Annotated[str, typer.Argument()],
    scope: Annotated[list[str], typer.Option("--scope", help="read and/or write (repeatable)")],
    days: Annotated[int, typer.Option(help="days until it expires")] = 90,
    as_json: Json = False,
) -> None:
    """Create an API token; it is printed once and only its hash is stored."""
    from gaio.services.accounts import users as svc

    state: State = ctx.obj
    issued = svc.create_token(state.gaio(), state.actor, username, scopes=scope, days=days)
    if as_json:
        emit_json(issued)
    else:
        typer.echo(issued.token)
        typer.echo(
            f"token {issued.id} for {issued.username} ({', '.join(issued.scopes)}), "
            f"expires {issued.expires_at:%Y-%m-%d}; store it now, it is not shown again",
            err=True,
        )
