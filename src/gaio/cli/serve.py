"""``gaio serve``: the REST API and web UI on uvicorn."""

from __future__ import annotations

from typing import Annotated

import typer

from gaio.cli.state import State

APP_FACTORY = "gaio.http.app:from_environment"
"""Named, not imported: the faces do not import each other, and each worker builds its own."""


def serve_app(state: State, host: str, port: int) -> None:
    import uvicorn

    state.gaio()  # bring the schema up to date once, before any worker starts
    state.close()
    typer.echo(
        f"gaio is serving on http://{host}:{port}/  (API: /api/v1, docs: /api/docs); "
        "Ctrl-C stops it"
    )
    uvicorn.run(
        APP_FACTORY, factory=True, host=host, port=port, log_level="warning", proxy_headers=False
    )


def serve(
    ctx: typer.Context,
    host: Annotated[str, typer.Option(help="interface to listen on")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="TCP port")] = 8000,
) -> None:
    """Serve the REST API and the web UI."""
    serve_app(ctx.obj, host, port)
