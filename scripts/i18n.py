"""Refresh the web UI's translation catalogues: extract every template text into
``messages.pot``, merge it into each language's ``messages.po`` and compile the ``.mo`` files
that the web face loads with the standard library's :mod:`gettext` at run time.

Run ``python -m scripts.i18n`` from the repository root after changing a template: new texts
appear in every catalogue with an empty translation, which ``python -m scripts.i18n --check``
(and tests/web/test_i18n.py) report until a translator fills them in. Every language in
``LANGUAGES`` gets a catalogue; English is the source language (its catalogue stays empty).
"""

from __future__ import annotations

import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import read_mo, write_mo
from babel.messages.pofile import read_po, write_po

WEB = Path(__file__).resolve().parents[1] / "src" / "gaio" / "http" / "web"
TEMPLATES = WEB / "templates"
LOCALE = WEB / "locale"
LANGUAGES = ("en", "es", "fr", "zh")
SOURCE_LANGUAGE = "en"
METHODS = [("**.html", "jinja2")]
OPTIONS = {"**.html": {"extensions": "jinja2.ext.i18n"}}


def extract() -> Catalog:
    catalog = Catalog(project="gaio", charset="utf-8")
    for filename, lineno, message, comments, context in extract_from_dir(
        str(TEMPLATES), METHODS, OPTIONS
    ):
        catalog.add(message, None, [(filename, lineno)], auto_comments=comments, context=context)
    return catalog


def languages() -> list[str]:
    return sorted(
        set(LANGUAGES) | {p.name for p in LOCALE.iterdir() if (p / "LC_MESSAGES").is_dir()}
    )


def _po_path(lang: str) -> Path:
    return LOCALE / lang / "LC_MESSAGES" / "messages.po"


def _read(lang: str) -> Catalog:
    po_path = _po_path(lang)
    if not po_path.is_file():
        return Catalog(locale=lang, project="gaio", charset="utf-8")
    with po_path.open("rb") as fh:
        return read_po(fh, locale=lang)


def _ids(catalog: Catalog) -> set[str]:
    return {m.id if isinstance(m.id, str) else m.id[0] for m in catalog if m.id}


def check() -> list[str]:
    """What is wrong with the catalogues: texts missing or untranslated, translations that lost
    a placeholder, stale texts, and compiled files that do not match their sources."""
    wanted = _ids(extract())
    problems: list[str] = []
    for lang in languages():
        po_path = _po_path(lang)
        if not po_path.is_file():
            problems.append(f"{lang}: no catalogue (run python -m scripts.i18n)")
            continue
        catalog = _read(lang)
        have = _ids(catalog)
        for text in sorted(wanted - have):
            problems.append(f"{lang}: missing {text!r} (run python -m scripts.i18n)")
        for text in sorted(have - wanted):
            problems.append(f"{lang}: stale {text!r} (run python -m scripts.i18n)")
        if lang != SOURCE_LANGUAGE:
            for m in catalog:
                if not m.id:
                    continue
                if not m.string or m.fuzzy:
                    problems.append(f"{lang}: untranslated {m.id!r}")
                elif isinstance(m.id, str) and isinstance(m.string, str):
                    for name in _placeholders(m.id) - _placeholders(m.string):
                        problems.append(f"{lang}: {m.id!r} lost its placeholder {name}")
        mo_path = po_path.with_suffix(".mo")
        if not mo_path.is_file():
            problems.append(f"{lang}: not compiled (run python -m scripts.i18n)")
            continue
        with mo_path.open("rb") as fh:
            compiled = read_mo(fh)
        if _pairs(compiled) != _pairs(catalog):
            problems.append(
                f"{lang}: messages.mo is older than messages.po (run python -m scripts.i18n)"
            )
    return problems


def _placeholders(text: str) -> set[str]:
    import re

    return set(re.findall(r"%\([a-z_]+\)s", text))


def _pairs(catalog: Catalog) -> dict[str, str]:
    return {
        str(m.id): str(m.string)
        for m in catalog
        if m.id and m.string and not m.fuzzy and isinstance(m.id, str)
    }


def refresh() -> list[str]:
    template = extract()
    with (LOCALE / "messages.pot").open("wb") as fh:
        write_po(fh, template, sort_output=True)
    done = []
    for lang in languages():
        po_path = _po_path(lang)
        po_path.parent.mkdir(parents=True, exist_ok=True)
        catalog = _read(lang)
        catalog.update(template, no_fuzzy_matching=True)
        with po_path.open("wb") as fh:
            write_po(fh, catalog, sort_output=True, ignore_obsolete=True)
        with (po_path.with_suffix(".mo")).open("wb") as fh:
            write_mo(fh, catalog)
        done.append(lang)
    return done


if __name__ == "__main__":
    if sys.argv[1:] == ["--check"]:
        found = check()
        for line in found:
            print(line)
        sys.exit(1 if found else 0)
    print("catalogues refreshed:", ", ".join(refresh()))
    sys.exit(0)
