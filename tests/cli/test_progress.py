"""Progress bars: counts and ETA on a terminal, nothing on a pipe or with --json."""

from __future__ import annotations

import io

import pytest
from rich.console import Console

from gaio.cli import output


def test_bar_is_silent_off_a_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    buffer = io.StringIO()
    monkeypatch.setattr(output, "err_console", Console(file=buffer, force_terminal=False))
    with output.progress_bar("work") as update:
        update(1, 2)
    assert buffer.getvalue() == ""


def test_bar_shows_counts_and_eta_on_a_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    buffer = io.StringIO()
    console = Console(file=buffer, force_terminal=True, width=100)
    monkeypatch.setattr(output, "err_console", console)
    with output.progress_bar("work") as update:
        update(3, 8)
        console.file.flush()
    assert "3/8" in buffer.getvalue() and "eta" in buffer.getvalue()
    buffer.truncate(0)
    with output.progress_bar("work", enabled=False) as update:  # --json
        update(3, 8)
    assert buffer.getvalue() == ""
