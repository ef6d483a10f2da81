from __future__ import annotations

from collections.abc import Iterator
from importlib.resources import as_file, files
from pathlib import Path
from typing import Any

import pytest
import yaml

from gaio.registry.card import SystemCard, load_card


@pytest.fixture(scope="session")
def demo_dir() -> Iterator[Path]:
    with as_file(files("gaio.demo") / "data") as path:
        yield Path(path)


@pytest.fixture(scope="session")
def demo_cards(demo_dir: Path) -> dict[str, SystemCard]:
    cards = [load_card(p) for p in sorted((demo_dir / "cards").glob("*.yaml"))]
    return {c.id: c for c in cards}


@pytest.fixture(scope="session")
def expected(demo_dir: Path) -> dict[str, Any]:
    data = yaml.safe_load((demo_dir / "expected.yaml").read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data
