"""The public report form: country names, partial dates and bad values are answered with
the form (never a 500); an anonymous report is acknowledged and waits for moderation."""

from __future__ import annotations

from typing import Any

import pytest

from gaio.services.context import Gaio
from gaio.services.incidents import moderation
from tests.conftest import REGULATOR


def _post(client: Any, **fields: str) -> Any:
    page = client.get("/incidents/report")
    csrf = page.text.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]
    return client.post("/incidents/report", data={"csrf_token": csrf, **fields})


def test_country_name_and_partial_date_are_accepted(client: Any, g: Gaio) -> None:
    r = _post(
        client,
        title="Chatbot gave wrong tax advice to French citizens",
        countries="France, Denmark",
        occurred="2025-03",
        choice="new",
    )
    assert r.status_code == 202, r.text[:300]
    assert "once a moderator approves it" in r.text
    (pending,) = moderation.queue(g, REGULATOR)
    assert pending.kind == "incident"


@pytest.mark.parametrize(
    "fields",
    [
        {"countries": "Narnia"},
        {"occurred": "1700000000"},
        {"occurred": "2025-13"},
        {"choice": "attach:abc"},
        {"url": "not a url"},
    ],
)
def test_bad_values_come_back_with_the_form(client: Any, fields: dict[str, str]) -> None:
    data = {"title": "Something happened with an AI system", "choice": "new", **fields}
    r = _post(client, **data)
    assert r.status_code == 400, r.text[:300]
    assert 'role="alert"' in r.text
