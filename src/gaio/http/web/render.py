"""Rendering pages: Jinja2 with autoescaping and gettext catalogues (Babel).

Every text a page shows goes through ``_()``/``{% trans %}`` so other languages can be added
by dropping a catalogue into ``web/locale/<lang>/LC_MESSAGES/messages.mo`` (compiled by
``python -m scripts.i18n`` and read with the standard library's :mod:`gettext`); every value
is escaped on output (autoescape is on for all templates).
"""

from __future__ import annotations

import functools
import gettext
import secrets
from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, FileSystemLoader, select_autoescape

from gaio import __version__
from gaio.http.deps import cookie_secure

TEMPLATES = Path(__file__).parent / "templates"
LOCALES = Path(__file__).parent / "locale"
LANGUAGES = ("en",)
CSRF_COOKIE = "gaio_csrf"


@functools.cache
def environment(lang: str = "en") -> Environment:
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(default=True, default_for_string=True),
        extensions=["jinja2.ext.i18n"],
        trim_blocks=True,
        lstrip_blocks=True,
    )
    translations = gettext.translation("messages", LOCALES, languages=[lang], fallback=True)
    env.install_gettext_translations(translations, newstyle=True)  # type: ignore[attr-defined]
    env.globals["version"] = __version__
    return env


def language(request: Request) -> str:
    wanted = request.headers.get("accept-language", "en").split(",")[0].split("-")[0].strip()
    return wanted if wanted in LANGUAGES else "en"


def form_token(request: Request) -> str:
    """The CSRF token for forms: the session's, or a double-submit cookie before login."""
    auth = getattr(request.state, "auth", None)
    if auth is not None and getattr(auth, "csrf", None):
        return str(auth.csrf)
    existing = request.cookies.get(CSRF_COOKIE)
    if existing:
        return existing
    token = secrets.token_urlsafe(32)
    request.state.new_csrf_cookie = token
    return token


class FormToken:
    """The CSRF token, drawn only if a template renders it: a page without a form then sets
    no cookie and holds nothing per visitor, so the public may share it through a cache."""

    def __init__(self, request: Request) -> None:
        self.request = request
        self.value: str | None = None

    def __str__(self) -> str:
        if self.value is None:
            self.value = form_token(self.request)
        return self.value


def page(request: Request, template: str, status_code: int = 200, **context: Any) -> HTMLResponse:
    env = environment(language(request))
    auth = getattr(request.state, "auth", None)
    context.setdefault("who", getattr(auth, "actor", None))
    context.setdefault("signed_in", getattr(auth, "via", "public") != "public")
    token = FormToken(request)
    context["csrf"] = token
    context["request_path"] = request.url.path
    html = env.get_template(template).render(**context)
    response = HTMLResponse(html, status_code=status_code)
    if token.value is not None:
        # a per-visitor secret is in the page: no cache may keep or share it
        response.headers["Cache-Control"] = "private, no-store"
    new_cookie = getattr(request.state, "new_csrf_cookie", None)
    if new_cookie:
        response.set_cookie(
            CSRF_COOKIE,
            new_cookie,
            httponly=True,
            samesite="strict",
            secure=cookie_secure(request),
            path="/",
        )
    return response


def error_page(request: Request, status: int, title: str, message: str) -> HTMLResponse:
    """An error as the site's page (installed as ``app.state.html_error_page``)."""
    return page(request, "error.html", status_code=status, title=title, message=message)
