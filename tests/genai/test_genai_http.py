"""The HTTP path through Inspect's OpenAI-compatible provider against a local stub: success,
429 with Retry-After and 5xx retried, malformed JSON, timeouts and a closed port refused in
one line (exit 2) with nothing stored."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml

from gaio.services.context import Gaio
from gaio.services.evaluation import evidence
from gaio.services.registry import systems
from tests.conftest import PROVIDER
from tests.factories import card, world

pytest.importorskip("inspect_ai", reason="needs gaio[genai] (Inspect)")
pytest.importorskip("openai", reason="needs gaio[genai] (openai client)")
pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")

from tests.genai.openai_stub import Behaviour, free_port, serve  # noqa: E402

MODEL = "openai-api/stub/stub-model"


def _run(cli: Any, tmp_path: Path, base_url: str, **spec: Any) -> Any:
    path = tmp_path / "spec.yaml"
    body = {"suites": ["refusal"], "epochs": 1, "max_retries": 3, "timeout": 5, **spec}
    path.write_text(yaml.safe_dump(body), encoding="utf-8")
    return cli(
        "--as", "provider:acme", "evaluate", "genai", "run", str(path), "--model", MODEL,
        "--base-url", base_url, "--system", "acme-cv-ranker", "--log-dir", str(tmp_path / "l"),
        "--json",
    )  # fmt: skip


@pytest.fixture
def system(g: Gaio, monkeypatch: pytest.MonkeyPatch) -> None:
    world(g)
    systems.register_system(g, PROVIDER, card())
    monkeypatch.setenv("STUB_API_KEY", "sk-test-key")


@pytest.mark.usefixtures("system")
def test_success_429_and_5xx_are_retried(cli: Any, g: Gaio, tmp_path: Path) -> None:
    b = Behaviour(answer="I cannot help with that.", fail_429=2, fail_500=1)
    with serve(b) as url:
        r = _run(cli, tmp_path, url)
    assert r.code == 0, r.err
    doc = json.loads(r.out)
    assert doc["suites"][0]["pass_rate"] == 1.0
    assert b.requests >= 6 + 3
    assert set(b.auth) == {"Bearer sk-test-key"}
    assert doc["run"]["tokens"]["total_tokens"] == 6 * 11
    assert len(evidence.list_evidence(g, PROVIDER, "acme-cv-ranker")) == 1


@pytest.mark.usefixtures("system")
@pytest.mark.parametrize(
    ("behaviour", "spec"),
    [
        (Behaviour(malformed=True), {"max_retries": 0}),
        (Behaviour(delay=3.0), {"timeout": 1, "max_retries": 0}),
        (Behaviour(fail_500=100), {"max_retries": 0}),
    ],
    ids=["malformed-json", "timeout", "5xx"],
)
def test_failing_endpoint_is_one_line_exit_2_nothing_stored(
    cli: Any, g: Gaio, tmp_path: Path, behaviour: Behaviour, spec: dict[str, Any]
) -> None:
    with serve(behaviour) as url:
        r = _run(cli, tmp_path, url, **spec)
    assert r.code == 2, (r.code, r.err)
    assert len(r.err.strip().splitlines()) == 1 and MODEL in r.err, r.err
    assert evidence.list_evidence(g, PROVIDER, "acme-cv-ranker") == []


@pytest.mark.usefixtures("system")
def test_closed_port_is_refused(cli: Any, g: Gaio, tmp_path: Path) -> None:
    r = _run(cli, tmp_path, f"http://127.0.0.1:{free_port()}/v1", max_retries=0)
    assert r.code == 2 and len(r.err.strip().splitlines()) == 1, r.err
    assert evidence.list_evidence(g, PROVIDER, "acme-cv-ranker") == []
