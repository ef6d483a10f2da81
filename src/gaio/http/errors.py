"""One JSON error envelope for every error the API returns.

``{"ok": false, "status": 404, "code": "not_found", "message": "...", "errors": [...]}`` —
the same shape as the CLI's ``--json`` errors. Unexpected exceptions become a 500 with a
generic message: no stack trace or internal text ever reaches a client.
"""

from __future__ import annotations

import logging
from typing import Any, Literal

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, PlainTextResponse, Response
from pydantic import BaseModel
from starlette.exceptions import HTTPException as StarletteHTTPException

from gaio.errors import ErrorReport, FieldError, GaioError, RateLimited

log = logging.getLogger("gaio.http")

_HTTP_CODES = {
    400: "bad_request",
    401: "unauthenticated",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    412: "precondition_failed",
    413: "payload_too_large",
    415: "unsupported_media_type",
    422: "invalid_input",
    429: "too_many_requests",
}


class FieldErrorModel(BaseModel):
    path: str
    message: str


class ErrorEnvelope(BaseModel):
    """The shape of every error response."""

    ok: Literal[False] = False
    status: int
    code: str
    message: str
    errors: list[FieldErrorModel]


ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    status: {"model": ErrorEnvelope, "description": description}
    for status, description in [
        (400, "malformed request"),
        (401, "missing, wrong or expired credentials"),
        (403, "not allowed (deny by default)"),
        (404, "not found"),
        (409, "conflicts with the current state"),
        (412, "stale ETag (If-Match)"),
        (413, "request body too large"),
        (422, "invalid input, with field errors"),
        (429, "too many requests"),
    ]
}


JSON_PATHS = ("/api/", "/credentials/", "/.well-known/")
"""Paths of machine-read documents: their errors are the JSON envelope too."""


def _wants_html(request: Request) -> bool:
    return not request.url.path.startswith(JSON_PATHS)


def html_error(request: Request, status: int, message: str) -> Response:
    """The error as a page: the web face installs the renderer (``app.state.html_error_page``)
    so that this shared module needs nothing from it; plain text when there is no web face."""
    titles = {
        401: "Please log in",
        403: "Not allowed",
        404: "Not found",
        413: "Too large",
        429: "Slow down",
        500: "Something went wrong",
    }
    title = titles.get(status, "This did not work")
    render = getattr(request.app.state, "html_error_page", None)
    if render is None:
        return PlainTextResponse(f"{title}: {message}\n", status_code=status)
    response: Response = render(request, status, title, message)
    return response


def envelope(
    status: int,
    code: str,
    message: str,
    errors: list[FieldError] | None = None,
    headers: dict[str, str] | None = None,
) -> JSONResponse:
    body = ErrorReport(status=status, code=code, message=message, errors=errors or []).as_dict()
    return JSONResponse(body, status_code=status, headers=headers)


def error_headers(exc: GaioError) -> dict[str, str]:
    """The headers an error carries: how to authenticate on 401, how long to wait on 429."""
    if exc.status == 401:
        return {"WWW-Authenticate": "Bearer"}
    if exc.status == 429:
        wait = exc.retry_after if isinstance(exc, RateLimited) else 60
        return {"Retry-After": str(wait)}
    return {}


def _loc(loc: tuple[Any, ...]) -> str:
    parts = [str(p) for p in loc if p not in ("body", "query", "path", "header")]
    return ".".join(parts) or "(request)"


def install(app: FastAPI) -> None:
    @app.exception_handler(GaioError)
    async def _gaio(request: Request, exc: GaioError) -> Response:
        headers = error_headers(exc)
        if _wants_html(request):
            response = html_error(request, exc.status, exc.message)
            response.headers.update(headers)
            return response
        return envelope(exc.status, exc.code, exc.message, exc.errors, headers)

    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, exc: RequestValidationError) -> Response:
        errs = list(exc.errors())
        if _wants_html(request):
            where = ", ".join(_loc(tuple(e.get("loc", ()))) for e in errs)
            return html_error(request, 422, f"Please check these fields: {where}")
        if any(e.get("type") == "json_invalid" for e in errs):
            return envelope(400, "malformed_json", "the request body is not valid JSON")
        fields = []
        for e in errs:
            msg = "unknown field" if e.get("type") == "extra_forbidden" else str(e.get("msg"))
            fields.append(FieldError(path=_loc(tuple(e.get("loc", ()))), message=msg))
        first = fields[0] if fields else FieldError("(request)", "invalid")
        return envelope(422, "invalid_input", f"{first.path}: {first.message}", fields)

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> Response:
        code = _HTTP_CODES.get(exc.status_code, "error")
        message = exc.detail if isinstance(exc.detail, str) else code.replace("_", " ")
        if _wants_html(request):
            return html_error(request, exc.status_code, message)
        return envelope(exc.status_code, code, message)

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> Response:
        log.exception("unexpected error on %s %s", request.method, request.url.path)
        if _wants_html(request):
            return html_error(request, 500, "An internal error occurred; it has been logged.")
        return envelope(500, "internal_error", "an internal error occurred; it has been logged")
