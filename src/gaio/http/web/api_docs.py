"""The API's interactive documentation (Swagger UI), served from this site under its CSP.

FastAPI's own docs page loads Swagger UI from a CDN and starts it with an inline script, both
of which the Content-Security-Policy (``script-src 'self'``) blocks, so the page was blank.
Here the Swagger UI files come from the ``fastapi-offline`` package (MIT; it ships Swagger
UI's Apache-2.0 bundle) and the start-up code is a static file of ours."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI
from fastapi.responses import HTMLResponse, Response
from fastapi.staticfiles import StaticFiles

DOCS_URL = "/api/docs"
ASSETS_URL = "/static/api-docs"


def swagger_assets() -> Path | None:
    try:
        import fastapi_offline
    except ImportError:
        return None
    folder = Path(fastapi_offline.__file__).parent / "static"
    return folder if (folder / "swagger-ui-bundle.js").is_file() else None


PAGE = """<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>gaio API</title>
  <link rel="stylesheet" href="{assets}/swagger-ui.css">
  <link rel="stylesheet" href="/static/gaio.css">
</head>
<body>
  <main id="main">
    <h1 class="visually-hidden">gaio API</h1>
    <p><a href="/">gaio</a> · <a href="{openapi}">OpenAPI (JSON)</a></p>
    <div id="swagger-ui" data-openapi="{openapi}"></div>
  </main>
  <script src="{assets}/swagger-ui-bundle.js"></script>
  <script src="/static/api-docs-start.js"></script>
</body>
</html>
"""

MISSING = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>gaio API</title>
<link rel="stylesheet" href="/static/gaio.css"></head>
<body><main id="main"><h1>gaio API</h1>
<p>The interactive documentation needs the fastapi-offline package. The API's description is at
<a href="{openapi}">{openapi}</a>.</p></main></body></html>
"""


def mount(app: FastAPI) -> None:
    openapi = app.openapi_url or "/api/v1/openapi.json"
    assets = swagger_assets()
    if assets is not None:
        app.mount(ASSETS_URL, StaticFiles(directory=assets), name="api-docs-assets")

    @app.get(DOCS_URL, include_in_schema=False)
    def api_docs() -> Response:
        text = MISSING if assets is None else PAGE
        return HTMLResponse(text.format(assets=ASSETS_URL, openapi=openapi))
