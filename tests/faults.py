"""Fault injection for crash tests, entirely on the test side.

:func:`start_paused` runs the ``gaio`` CLI in a child process that first wraps one internal
function, so that right after it returns the child writes a marker file and sleeps inside the
still-open transaction; the test then SIGKILLs it. Production code has no hook for this.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

POINTS = {
    # after the ledger entry of a change is appended, before the transaction commits
    "after-ledger-append": ("gaio.store.ledger", "append"),
    # after an import has verified the imported log, before it commits
    "import-before-commit": ("gaio.services.ledger.audit", "verify_session"),
    # after a bulk job (the AIID import, an upgrade) appended its entries, before it commits
    "after-bulk-append": ("gaio.store.ledger", "bulk_append"),
}

_CHILD = """
import functools, importlib, sys, time
from pathlib import Path
module_name, attr, marker, nth = sys.argv[1:5]
module = importlib.import_module(module_name)
real = getattr(module, attr)
calls = [0]

@functools.wraps(real)
def paused(*args, **kwargs):
    result = real(*args, **kwargs)
    calls[0] += 1
    if calls[0] == int(nth):
        Path(marker).write_text("paused", encoding="utf-8")
        time.sleep(120)
    return result

setattr(module, attr, paused)
from gaio.cli.app import main
sys.exit(main(sys.argv[5:]))
"""


def start_paused(
    point: str, args: list[str], env: dict[str, str], marker: Path, *, nth: int = 1
) -> subprocess.Popen[bytes]:
    """Run ``gaio ARGS`` and pause it (inside the open transaction) at the ``nth`` time the
    function named by ``point`` returns."""
    module, attr = POINTS[point]
    return subprocess.Popen(
        [sys.executable, "-c", _CHILD, module, attr, str(marker), str(nth), *args],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )


def kill_when_paused(proc: subprocess.Popen[bytes], marker: Path, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while not marker.exists():
        if proc.poll() is not None:
            out = proc.stdout.read() if proc.stdout else b""
            pytest.fail(f"process ended before reaching the fault point: {out!r}")
        if time.monotonic() > deadline:
            proc.kill()
            pytest.fail("process never reached the fault point")
        time.sleep(0.05)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(30)
