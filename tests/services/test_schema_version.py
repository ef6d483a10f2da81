"""A schema-version problem is one line that says what to do (issue 14, item 6)."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import text

from gaio.config import Settings
from gaio.errors import ConfigurationError
from gaio.services.context import Gaio


def test_an_unknown_schema_revision_is_one_clear_error(tmp_path: Path) -> None:
    settings = Settings(home=tmp_path / "home", database_url=None)
    g = Gaio.open(settings, create=True)
    with g.engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = 'zz99'"))
    g.close()
    with pytest.raises(ConfigurationError) as err:
        Gaio.open(settings)
    message = err.value.message
    assert "zz99" in message and "newer gaio" in message and "\n" not in message
