"""``gaio serve``: the REST API and web UI on uvicorn."""

from __future__ import annotations

from typing import Annotated

import typer

from gaio.cli.state import State

APP_FACTORY = "gaio.http.app:from_environment"
"""Named, not imported: the faces do not import each other, and each worker builds its own."""


def serve_app(state: State, host: str, port: int, workers: int = 1) -> None:
    """Run uvicorn: one process, or a supervisor with ``workers`` processes sharing the socket.

    Each worker opens its own engine (its own connection pool on PostgreSQL, sized by
    ``GAIO_DB_POOL_SIZE``); on SQLite, WAL lets the workers read in parallel while writes
    queue on the database's one-writer lock. The public cache is per worker, but keyed on the
    ledger's position in the database, so no worker serves what another has changed.
    """
    import uvicorn

    state.gaio()  # bring the schema up to date once, before any worker starts
    state.close()
    typer.echo(
        f"gaio is serving on http://{host}:{port}/  (API: /api/v1, docs: /api/docs"
        f"{f'; {workers} workers' if workers > 1 else ''}); Ctrl-C stops it"
    )
    uvicorn.run(
        APP_FACTORY,
        factory=True,
        host=host,
        port=port,
        workers=workers,
        log_level="warning",
        proxy_headers=False,
    )


def serve(
    ctx: typer.Context,
    host: Annotated[str, typer.Option(help="interface to listen on")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="TCP port")] = 8000,
    workers: Annotated[
        int, typer.Option(min=1, max=64, help="server processes (about one per CPU core)")
    ] = 1,
) -> None:
    """Serve the REST API and the web UI."""
    serve_app(ctx.obj, host, port, workers)
