"""``gaio serve``: the REST API and web UI on uvicorn.

Behind a reverse proxy that terminates TLS, ``--proxy-headers`` with the proxy's address in
``--forwarded-allow-ips`` makes gaio see what the proxy saw: the client's real address (which
rate limits and login throttles key on) and the ``https`` scheme (so cookies are Secure and
HSTS is sent). The forwarded headers are believed only from those addresses: from anyone
else they are ignored, so a client cannot pick the address it is counted under.
"""

from __future__ import annotations

from typing import Annotated, Any

import typer

from gaio.cli.state import State
from gaio.errors import InvalidInput

APP_FACTORY = "gaio.http.app:from_environment"
"""Named, not imported: the faces do not import each other, and each worker builds its own."""


def proxy_options(proxy_headers: bool, forwarded_allow_ips: str | None) -> dict[str, Any]:
    """uvicorn's options for the proxy: off unless asked; trusted addresses are named."""
    if forwarded_allow_ips is not None and not proxy_headers:
        raise InvalidInput("--forwarded-allow-ips: only with --proxy-headers")
    if not proxy_headers:
        return {"proxy_headers": False}
    trusted = (forwarded_allow_ips or "127.0.0.1").strip()
    if trusted == "*":
        raise InvalidInput(
            "--forwarded-allow-ips: '*' would let any client choose the address it is rate-"
            "limited under; name the proxy's addresses (comma-separated IPs or networks)"
        )
    if not trusted or len(trusted) > 2000:
        raise InvalidInput("--forwarded-allow-ips: expected the proxy's addresses, e.g. 10.0.0.5")
    return {"proxy_headers": True, "forwarded_allow_ips": trusted}


def serve_app(
    state: State,
    host: str,
    port: int,
    workers: int = 1,
    *,
    proxy_headers: bool = False,
    forwarded_allow_ips: str | None = None,
) -> None:
    """Run uvicorn: one process, or a supervisor with ``workers`` processes sharing the socket.

    Each worker opens its own engine (its own connection pool on PostgreSQL, sized by
    ``GAIO_DB_POOL_SIZE``); on SQLite, WAL lets the workers read in parallel while writes
    queue on the database's one-writer lock. The public cache is per worker, but keyed on the
    ledger's position in the database, so no worker serves what another has changed.
    """
    import uvicorn

    options = proxy_options(proxy_headers, forwarded_allow_ips)
    state.gaio()  # bring the schema up to date once, before any worker starts
    state.close()
    behind = (
        f"; trusting forwarded headers from {options['forwarded_allow_ips']}"
        if proxy_headers
        else ""
    )
    typer.echo(
        f"gaio is serving on http://{host}:{port}/  (API: /api/v1, docs: /api/docs"
        f"{f'; {workers} workers' if workers > 1 else ''}){behind}; Ctrl-C stops it"
    )
    uvicorn.run(
        APP_FACTORY,
        factory=True,
        host=host,
        port=port,
        workers=workers,
        log_level="warning",
        **options,
    )


def serve(
    ctx: typer.Context,
    host: Annotated[str, typer.Option(help="interface to listen on")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="TCP port")] = 8000,
    proxy_headers: Annotated[
        bool,
        typer.Option(
            "--proxy-headers",
            help="behind a reverse proxy: take the client address and scheme from "
            "X-Forwarded-For / X-Forwarded-Proto (only from --forwarded-allow-ips)",
        ),
    ] = False,
    forwarded_allow_ips: Annotated[
        str | None,
        typer.Option(
            "--forwarded-allow-ips",
            help="comma-separated addresses or networks of the trusted proxy (default 127.0.0.1)",
        ),
    ] = None,
    workers: Annotated[
        int, typer.Option(min=1, max=64, help="server processes (about one per CPU core)")
    ] = 1,
) -> None:
    """Serve the REST API and the web UI."""
    serve_app(
        ctx.obj,
        host,
        port,
        workers,
        proxy_headers=proxy_headers,
        forwarded_allow_ips=forwarded_allow_ips,
    )
