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


@app.command("tokens")
def tokens(
    ctx: typer.Context, username: Annotated[str, typer.Argument()], as_json: Json = False
) -> None:
    """List a user's API tokens (ids, scopes, expiry; never the tokens themselves)."""
    from gaio.services.accounts import manage

    state: State = ctx.obj
    found = manage.list_tokens(state.gaio(), state.actor, username)
    if as_json:
        emit_json(found)
        return
    table(
        f"{len(found)} tokens of {username}",
        ["id", "scopes", "created", "expires", "revoked"],
        [
            (
                t.id,
                ",".join(t.scopes),
                f"{t.created_at:%Y-%m-%d}",
                f"{t.expires_at:%Y-%m-%d}",
                t.revoked,
            )
            for t in found
        ],
    )


@app.command("revoke")
def revoke(
    ctx: typer.Context,
    token_id: Annotated[str, typer.Argument(help="the token's id (gaio user tokens USER)")],
    as_json: Json = False,
) -> None:
    """Revoke an API token: it stops working on the next request."""
    from gaio.services.accounts import manage

    state: State = ctx.obj
    info = manage.revoke_token(state.gaio(), state.actor, token_id)
    if as_json:
        emit_json(info)
    else:
        typer.echo(f"token {info.id} of {info.username} revoked")


@app.command("disable")
def disable(
    ctx: typer.Context,
    username: Annotated[str, typer.Argument()],
    revoke_tokens: Annotated[
        bool, typer.Option("--revoke-tokens", help="also revoke every token for good")
    ] = False,
    as_json: Json = False,
) -> None:
    """Disable a user (administrators): sessions end now, tokens stop working."""
    from gaio.services.accounts import manage

    state: State = ctx.obj
    ended = manage.set_disabled(
        state.gaio(), state.actor, username, disabled=True, revoke_tokens=revoke_tokens
    )
    if as_json:
        emit_json(ended)
    else:
        typer.echo(
            f"user {username} disabled: {ended.sessions_ended} sessions ended, "
            f"{ended.tokens_revoked} tokens revoked"
            + ("" if revoke_tokens else " (the others are refused while disabled)")
        )


@app.command("enable")
def enable(ctx: typer.Context, username: Annotated[str, typer.Argument()]) -> None:
    """Re-enable a disabled user (administrators)."""
    from gaio.services.accounts import manage

    state: State = ctx.obj
    manage.set_disabled(state.gaio(), state.actor, username, disabled=False)
    typer.echo(f"user {username} enabled")


@app.command("end-sessions")
def end_sessions(
    ctx: typer.Context, username: Annotated[str, typer.Argument()], as_json: Json = False
) -> None:
    """Log a user out everywhere: every web session ends now."""
    from gaio.services.accounts import manage

    state: State = ctx.obj
    ended = manage.end_sessions(state.gaio(), state.actor, username)
    if as_json:
        emit_json(ended)
    else:
        typer.echo(f"{ended.sessions_ended} sessions of {username} ended")


@app.command("unthrottle")
def unthrottle(ctx: typer.Context, username: Annotated[str, typer.Argument()]) -> None:
    """Lift the account-wide login wait of a user (administrators); strangers' waits stay."""
    from gaio.services.accounts import manage

    state: State = ctx.obj
    manage.unthrottle(state.gaio(), state.actor, username)
    typer.echo(f"login wait of {username} lifted")
