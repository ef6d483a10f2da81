"""Refresh the web UI's translation catalogues: extract every template text into
``messages.pot``, merge it into each language's ``messages.po`` and compile the ``.mo`` files
that the web face loads with the standard library's :mod:`gettext` at run time.

Run ``python -m scripts.i18n`` from the repository root after changing a template; Babel is
needed here only (it is in the test extra), not by an installed gaio.
"""

from __future__ import annotations

import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

WEB = Path(__file__).resolve().parents[1] / "src" / "gaio" / "http" / "web"
TEMPLATES = WEB / "templates"
LOCALE = WEB / "locale"
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
    return sorted(p.name for p in LOCALE.iterdir() if (p / "LC_MESSAGES").is_dir())


def refresh() -> list[str]:
    template = extract()
    with (LOCALE / "messages.pot").open("wb") as fh:
        write_po(fh, template, sort_output=True)
    done = []
    for lang in languages():
        po_path = LOCALE / lang / "LC_MESSAGES" / "messages.po"
        with po_path.open("rb") as fh:
            catalog = read_po(fh, locale=lang)
        catalog.update(template, no_fuzzy_matching=True)
        with po_path.open("wb") as fh:
            write_po(fh, catalog, sort_output=True, ignore_obsolete=True)
        with (po_path.with_suffix(".mo")).open("wb") as fh:
            write_mo(fh, catalog)
        done.append(lang)
    return done


if __name__ == "__main__":
    print("catalogues refreshed:", ", ".join(refresh()))
    sys.exit(0)
