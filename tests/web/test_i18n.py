"""Every text in the templates is in the translation catalogue (so languages can be added)."""

from __future__ import annotations

from pathlib import Path

from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
WEB = ROOT / "src" / "gaio" / "http" / "web"


def test_catalogue_covers_every_template_string() -> None:
    method_map = [("**.html", "jinja2")]
    options = {"**.html": {"extensions": "jinja2.ext.i18n"}}
    found = {msg[2] for msg in extract_from_dir(str(WEB / "templates"), method_map, options)}
    found = {m if isinstance(m, str) else m[0] for m in found}
    assert len(found) > 80
    with (WEB / "locale" / "en" / "LC_MESSAGES" / "messages.po").open("rb") as fh:
        catalogue = {m.id if isinstance(m.id, str) else m.id[0] for m in read_po(fh) if m.id}
    missing = sorted(found - catalogue)
    assert not missing, (
        f"run pybabel extract/update/compile (see docs/architecture.md): {missing[:5]}"
    )
    assert (WEB / "locale" / "en" / "LC_MESSAGES" / "messages.mo").is_file()
