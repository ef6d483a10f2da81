"""Languages: every catalogue complete and compiled from the current templates; the language
comes from the switcher's cookie, else Accept-Language; dates and numbers are localised."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from fastapi.testclient import TestClient
from scripts import i18n

from gaio.http.web.render import _accepted, local_date, local_datetime, local_number


def test_every_catalogue_is_complete_and_compiled_from_the_current_templates() -> None:
    assert set(i18n.languages()) >= {"en", "fr", "es", "zh"}
    assert len(i18n._ids(i18n.extract())) > 150
    problems = i18n.check()
    assert not problems, "\n".join(problems[:10])


def test_the_check_notices_an_untranslated_text(monkeypatch: pytest.MonkeyPatch) -> None:
    real = i18n.extract

    def with_a_new_text() -> Any:
        catalog = real()
        catalog.add("A text nobody translated yet", None, [("base.html", 1)])
        return catalog

    monkeypatch.setattr(i18n, "extract", with_a_new_text)
    problems = i18n.check()
    assert any("fr: missing 'A text nobody translated yet'" in p for p in problems)


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("fr-FR,fr;q=0.9,en;q=0.8", "fr"),
        ("de-DE, es;q=0.5, en;q=0.4", "es"),
        ("en;q=0.1, zh-CN;q=0.9", "zh"),
        ("de, it", "en"),
        ("", "en"),
        ("fr;q=0, es", "es"),
        ("x" * 10_000, "en"),
    ],
)
def test_accept_language_picks_the_best_language_we_have(
    client: TestClient, header: str, expected: str
) -> None:
    r = client.get("/systems", headers={"accept-language": header})
    assert r.status_code == 200
    assert f'<html lang="{expected}">' in r.text


def test_pages_speak_the_language_asked_for(client: TestClient) -> None:
    fr = client.get("/systems", headers={"accept-language": "fr"}).text
    assert (
        "Registre public des systèmes d&#39;IA" in fr or "Registre public des systèmes d'IA" in fr
    )
    zh = client.get("/incidents", headers={"accept-language": "zh"}).text
    assert "人工智能事件与隐患" in zh
    es = client.get("/verify", headers={"accept-language": "es"}).text
    assert "Verificar un certificado" in es


def test_the_switcher_remembers_the_choice_over_accept_language(client: TestClient) -> None:
    r = client.get("/language?lang=es&next=/incidents", follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/incidents"
    assert "gaio_lang=es" in r.headers["set-cookie"]
    page = client.get("/incidents", headers={"accept-language": "fr"})
    assert '<html lang="es">' in page.text
    client.get("/language?lang=klingon", follow_redirects=False)
    assert '<html lang="es">' in client.get("/").text


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/x", "/\\evil", "x"])
def test_the_switcher_never_redirects_off_site(client: TestClient, target: str) -> None:
    r = client.get("/language", params={"lang": "fr", "next": target}, follow_redirects=False)
    assert r.headers["location"] == "/"


def test_dates_and_numbers_are_localised() -> None:
    day = dt.date(2026, 12, 7)
    assert local_date(day, "en") == "Dec 7, 2026"
    assert local_date(day, "fr") == "7 déc. 2026"
    assert local_date("2026-12-07", "es") == "7 dic 2026"
    assert local_date(day, "zh") == "2026年12月7日"
    assert local_date(None) == "—"
    moment = dt.datetime(2026, 12, 7, 13, 5, tzinfo=dt.UTC)
    assert local_datetime(moment, "fr").endswith("UTC") and "13:05" in local_datetime(moment, "fr")
    assert local_number(1234567, "en") == "1,234,567"
    assert local_number(1234567, "fr") == "1\u202f234\u202f567"
    assert local_number(1234567, "es") == "1.234.567"


def test_accept_language_parsing_is_bounded() -> None:
    assert _accepted("fr;q=abc, es") == ["es"]
    assert len(_accepted(",".join(["de"] * 1000))) <= 20


def test_web_errors_do_not_tell_visitors_to_run_commands(client: TestClient) -> None:
    r = client.get("/systems/no-such-system", headers={"accept-language": "fr"})
    assert r.status_code == 404
    assert "gaio system" not in r.text and "run '" not in r.text
    assert "Introuvable" in r.text
    assert client.get("/assessments/999999").text.count("gaio assess") == 0
