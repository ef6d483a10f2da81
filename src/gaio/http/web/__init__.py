"""The web face: server-rendered Jinja2 pages with htmx, readable without JavaScript."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

STATIC = Path(__file__).parent / "static"


def mount(app: FastAPI) -> None:
    from gaio.http.web import api_docs, observatory, pages, pages_more
    from gaio.http.web.render import error_page

    app.state.html_error_page = error_page
    api_docs.mount(app)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    app.include_router(pages.router)
    app.include_router(pages_more.router)
    app.include_router(observatory.router)
