"""Fixtures of the accounts tests."""

from __future__ import annotations

from datetime import timedelta

import pytest

from gaio.clock import FixedClock


@pytest.fixture
def still(clock: FixedClock) -> FixedClock:
    """The test clock, not moving unless told to (waits are counted in seconds)."""
    clock._step = timedelta(0)
    return clock
