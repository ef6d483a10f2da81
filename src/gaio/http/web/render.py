"""Rendering pages: Jinja2 with autoescaping and gettext catalogues (Babel).

Every text a page shows goes through ``_()``/``{% trans %}``; the catalogues live in
``web/locale/<lang>/LC_MESSAGES/messages.mo`` (compiled by ``python -m scripts.i18n`` and read
with the standard library's :mod:`gettext`). The language is the visitor's choice (the
``gaio_lang`` cookie set by the switcher), else the best match of ``Accept-Language``, else
English; dates and numbers are formatted for that language with Babel. Every value is escaped
on output (autoescape is on for all templates).
"""

from __future__ import annotations

import datetime as dt
import functools
import gettext
import re
import secrets
from pathlib import Path
from typing import Any

from babel import Locale
from babel.dates import format_date, format_datetime
from babel.numbers import format_decimal
from fastapi import Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, FileSystemLoader, select_autoescape

from gaio import __version__
from gaio.http.deps import cookie_secure

TEMPLATES = Path(__file__).parent / "templates"
LOCALES = Path(__file__).parent / "locale"
LANGUAGES = ("en", "fr", "es", "zh")
LANGUAGE_COOKIE = "gaio_lang"
CSRF_COOKIE = "gaio_csrf"
MAX_ACCEPT_LANGUAGE = 512
# Hints meant for the command line ("(run 'gaio system list')") are not shown on web pages.
CLI_HINT = re.compile(r"\s*(?:\(\s*(?:run\s+)?'gaio [^']*'[^)]*\)|[;:]\s*run\s+'gaio [^']*')")


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
    env.globals["lang"] = lang
    env.globals["languages"] = [(code, language_name(code)) for code in LANGUAGES]
    env.filters["date"] = functools.partial(local_date, lang=lang)
    env.filters["datetime"] = functools.partial(local_datetime, lang=lang)
    env.filters["number"] = functools.partial(local_number, lang=lang)
    env.filters["outlet"] = outlet
    return env


def language_name(code: str) -> str:
    """A language's own name for itself ("Français", "中文")."""
    name = Locale.parse(code).get_display_name(code) or code
    return name[:1].upper() + name[1:]


def local_date(value: dt.date | dt.datetime | str | None, lang: str = "en") -> str:
    """A date in the visitor's language (``7 déc. 2026``); ISO text is parsed, None is "—"."""
    if value is None or value == "":
        return "—"
    if isinstance(value, str):
        try:
            day = dt.date.fromisoformat(value[:10])
        except ValueError:
            return value
    else:
        day = value.date() if isinstance(value, dt.datetime) else value
    return str(format_date(day, format="medium", locale=lang))


def local_datetime(value: dt.datetime | None, lang: str = "en") -> str:
    """A moment in UTC, in the visitor's language, with the zone said."""
    if value is None:
        return "—"
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.UTC)
    text = format_datetime(value.astimezone(dt.UTC), format="medium", tzinfo=dt.UTC, locale=lang)
    return f"{text} UTC"


def local_number(value: float | int | None, lang: str = "en") -> str:
    return "—" if value is None else str(format_decimal(value, locale=lang))


def outlet(url: str | None) -> str:
    """The outlet a link points to, as people name it: its host without ``www.``."""
    from urllib.parse import urlsplit

    host = (urlsplit(url or "").hostname or "").lower()
    return host.removeprefix("www.") or "—"


def _accepted(header: str) -> list[str]:
    """The languages of an ``Accept-Language`` header, best first (by q, then by order)."""
    ranked: list[tuple[float, int, str]] = []
    for index, part in enumerate(header[:MAX_ACCEPT_LANGUAGE].split(",")[:20]):
        tag, _, params = part.strip().partition(";")
        quality = 1.0
        if params.strip().startswith("q="):
            try:
                quality = float(params.strip()[2:])
            except ValueError:
                quality = 0.0
        code = tag.strip().split("-")[0].lower()
        if code and quality > 0:
            ranked.append((-quality, index, code))
    return [code for _q, _i, code in sorted(ranked)]


def language(request: Request) -> str:
    """The switcher's cookie if it names a language we have, else the best of
    ``Accept-Language`` that we have, else English."""
    chosen = request.cookies.get(LANGUAGE_COOKIE, "")
    if chosen in LANGUAGES:
        return chosen
    for code in _accepted(request.headers.get("accept-language", "")):
        if code in LANGUAGES:
            return code
    return "en"


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
    context["request_query"] = request.url.query
    context.setdefault("base_url", str(request.base_url).rstrip("/"))
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


def web_message(message: str) -> str:
    """A service's message for a web visitor: without the command-line hints."""
    return CLI_HINT.sub("", message).strip()


def error_page(request: Request, status: int, title: str, message: str) -> HTMLResponse:
    """An error as the site's page (installed as ``app.state.html_error_page``); the title is
    chosen by status in the template so that it is translated."""
    return page(
        request,
        "error.html",
        status_code=status,
        status=status,
        title=title,
        message=web_message(message),
    )
