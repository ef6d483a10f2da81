"""The application factory. Tests import it; ``gaio serve`` runs it on uvicorn."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager

from fastapi import Depends, FastAPI
from starlette.concurrency import run_in_threadpool

from gaio import __version__
from gaio.actors import Actor
from gaio.clock import today
from gaio.config import Settings
from gaio.errors import GaioError
from gaio.http import errors
from gaio.http.api import (
    accounts,
    catalog,
    certification,
    classify,
    deployers,
    evidence,
    incidents,
    ledger,
    observatory,
    registry,
)
from gaio.http.cache import HttpCache
from gaio.http.deps import actor
from gaio.http.middleware import MAX_BODY, GuardMiddleware
from gaio.services import ratelimits
from gaio.services.context import Gaio
from gaio.services.ledger import checkpoints
from gaio.services.ledger.position import position

log = logging.getLogger(__name__)

API_DESCRIPTION = """The Global AI Observatory's REST API: registries of organisations, licences
and AI systems; classification; evaluations; assessments and certificates; incidents; and the
transparency ledger with offline-verifiable proofs.

Authentication: `Authorization: Bearer <token>` (create one with `gaio user token`), or the web
session cookie (writes then need the `X-CSRF-Token` header). Without either you act as the
public. Every error has the same JSON shape: `{"ok": false, "status": 404, "code": "not_found",
"message": "...", "errors": [{"path": "...", "message": "..."}]}`.
"""


def create_app(
    settings: Settings | None = None,
    *,
    gaio: Gaio | None = None,
    max_body: int = MAX_BODY,
    anonymous_rate: tuple[int, float] = (5, 60.0),
    public_cache: bool = True,
) -> FastAPI:
    """Build the app over ``gaio`` (or a context opened from ``settings``).

    ``public_cache=False`` serves every public read from the database (for measuring); the
    Cache-Control marking of private responses stays on either way."""
    owned = gaio is None
    context = gaio or Gaio.open(settings or Settings())

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        signing = asyncio.create_task(_keep_signing(context)) if owned else None
        yield
        if signing is not None:
            signing.cancel()
        if owned:
            context.close()

    app = FastAPI(
        title="gaio — Global AI Observatory",
        version=__version__,
        description=API_DESCRIPTION,
        lifespan=lifespan,
        docs_url=None,  # served by the web face from local files (gaio.http.web.api_docs)
        redoc_url=None,
        openapi_url="/api/v1/openapi.json",
    )
    app.state.gaio = context
    app.state.anonymous_limiter = ratelimits.Limiter(
        context, "anonymous-report", *anonymous_rate, what="anonymous submissions"
    )
    errors.install(app)
    app.add_middleware(HttpCache, stamp=_public_stamp(context), enabled=public_cache)
    app.add_middleware(GuardMiddleware, limit=max_body)
    for module in (
        registry,
        ledger,
        catalog,
        evidence,
        classify,
        incidents,
        certification,
        accounts,
        deployers,
        observatory,
    ):
        app.include_router(module.router)
    app.include_router(certification.published)

    @app.get("/api/v1/me", tags=["accounts"], responses=errors.ERROR_RESPONSES)
    def me(who: Actor = Depends(actor)) -> Actor:  # noqa: B008 - FastAPI dependency
        return who

    from gaio.http.web import mount

    mount(app)
    return app


def _public_stamp(context: Gaio) -> Callable[[], str]:
    """The version of public content: the ledger's position (shared by every worker through
    the database) and the day (licence validity, and so a system's flags, depend on it)."""

    def stamp() -> str:
        return f"{position(context)}|{today(context.clock).isoformat()}"

    return stamp


async def _keep_signing(context: Gaio) -> None:
    """Sign the ledger's waiting entries when they are due, so a quiet server never keeps an
    unsigned tail longer than its checkpoint interval (the signing runs in a worker thread)."""
    pause = max(1.0, min(60.0, context.settings.checkpoint_interval / 4))
    while True:
        await asyncio.sleep(pause)
        try:
            await run_in_threadpool(checkpoints.sign_if_stale, context)
        except GaioError:
            log.exception("signing a ledger checkpoint failed; will retry")
        try:
            await run_in_threadpool(ratelimits.housekeeping, context)
        except Exception:  # housekeeping never stops the server
            log.exception("dropping ended rate-limit windows failed; will retry")


def from_environment() -> FastAPI:
    """The app for ``gaio serve``: uvicorn imports this factory by name in each worker, and it
    opens its own context from the environment (``GAIO_HOME``, ``GAIO_DATABASE_URL``)."""
    settings = Settings()
    return create_app(settings, public_cache=settings.http_cache)
