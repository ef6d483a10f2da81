"""Run one command, report wall time and peak RSS of that process as JSON on stdout.

Peak RSS comes from wait4()'s rusage (KiB on Linux). Linux records the RSS high-water mark of
the process image that exec() replaces, and Python starts children with vfork(), whose image
is the parent's: measured straight from a large benchmark process, every command would report
at least the benchmark's own RSS. :func:`measure` therefore runs this file as a small launcher
process that starts the command and reports; the launcher's ~10 MiB is the only carry-over.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time


def measure(cmd: list[str], cwd: str | None = None, stdout: str | None = None) -> dict[str, float]:
    """Wall time and peak RSS (MiB) of ``cmd``, run through the launcher."""
    launcher = [sys.executable, os.path.abspath(__file__)]
    if stdout:
        launcher += ["--stdout", os.path.abspath(stdout)]
    run = subprocess.run(
        [*launcher, "--", *cmd], cwd=cwd, capture_output=True, text=True, check=False
    )
    if run.returncode != 0:
        sys.stderr.write(run.stderr[-3000:])
        raise SystemExit(f"command failed ({run.returncode}): {' '.join(cmd)}")
    result: dict[str, float] = json.loads(run.stdout)
    return result


def _launch(cmd: list[str], stdout: str | None) -> dict[str, float]:
    out = open(stdout, "wb") if stdout else subprocess.DEVNULL  # noqa: SIM115
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=out, stderr=subprocess.PIPE)
    assert proc.stderr is not None
    err = proc.stderr.read()
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    if stdout:
        out.close()  # type: ignore[union-attr]
    code = os.waitstatus_to_exitcode(status)
    if code != 0:
        sys.stderr.write(err.decode(errors="replace")[-3000:])
        raise SystemExit(code if code > 0 else 1)
    return {"wall_s": wall, "peak_rss_mib": usage.ru_maxrss / 1024}


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--stdout", help="write the command's stdout to this file")
    parser.add_argument("cmd", nargs=argparse.REMAINDER)
    args = parser.parse_args()
    command = args.cmd[1:] if args.cmd[:1] == ["--"] else args.cmd
    print(json.dumps(_launch(command, args.stdout)))
