"""Run one command, report wall time and peak RSS of that process tree as JSON on stdout.

Peak RSS comes from wait4()'s rusage: the maximum resident set of the child (and of any
descendants it waited for), in KiB on Linux.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time


def measure(cmd: list[str], cwd: str | None = None, stdout: str | None = None) -> dict[str, float]:
    out = open(stdout, "wb") if stdout else subprocess.DEVNULL  # noqa: SIM115
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, stdout=out, stderr=subprocess.PIPE)
    assert proc.stderr is not None
    err = proc.stderr.read()
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    if stdout:
        out.close()  # type: ignore[union-attr]
    if proc.returncode != 0:
        sys.stderr.write(err.decode(errors="replace")[-3000:])
        raise SystemExit(f"command failed ({proc.returncode}): {' '.join(cmd)}")
    return {"wall_s": wall, "peak_rss_mib": usage.ru_maxrss / 1024}


if __name__ == "__main__":
    print(json.dumps(measure(sys.argv[1:])))
