"""Certificate verification cost, and what bounding the input saves (issue 13 item 2).

Rerun from the repository root with one command:

    python benchmarks/certification/bench_verify.py

It issues one real certificate in a temporary SQLite observatory, then times, interleaved over
several rounds (median per call):

- verifying it offline (signature, ledger evidence, both status lists): the peer;
- refusing the same certificate with a 120,000-character ``proofValue`` (checked before decoding);
- what decoding that ``proofValue`` cost before the bound (the unbounded base58 decoder, run
  once per round because it is slow);
- the web ``POST /verify`` of the valid certificate (through the ASGI app, in-process).

Writes ``benchmarks/results/certification.json``.
"""

from __future__ import annotations

import copy
import json
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks" / "ledger"))

from bench_ledger import machine  # noqa: E402
from tests.certification.helpers import issued  # noqa: E402
from tests.conftest import PROVIDER, PUBLIC  # noqa: E402

from gaio.certification import multibase  # noqa: E402
from gaio.certification.verify import verify_certificate  # noqa: E402
from gaio.clock import FixedClock  # noqa: E402
from gaio.config import Settings  # noqa: E402
from gaio.errors import InvalidInput  # noqa: E402
from gaio.services.certification import certificates as certification  # noqa: E402
from gaio.services.context import Gaio  # noqa: E402
from gaio.services.keys import issuers  # noqa: E402

ROUNDS = 7


def timed(fn: Any, repeat: int) -> float:
    started = time.perf_counter()
    for _ in range(repeat):
        fn()
    return (time.perf_counter() - started) / repeat


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        clock = FixedClock(datetime(2026, 3, 2, 9, tzinfo=UTC), step=timedelta(seconds=1))
        g = Gaio.open(Settings(home=Path(tmp), database_url=None), clock=clock, create=True)
        doc = certification.export_certificate(g, PROVIDER, issued(g))
        trust = issuers.trusted_keys(g, PUBLIC)
        lists = [
            certification.status_list(g, PUBLIC, p, "assure") for p in ("revocation", "suspension")
        ]
        huge = copy.deepcopy(doc)
        huge["proof"]["proofValue"] = "z" + "2" * 120_000
        now = clock.now()

        def valid() -> None:
            assert verify_certificate(doc, trust, now=now, status_lists=lists).ok

        def refused() -> None:
            try:
                verify_certificate(huge, trust, now=now, status_lists=lists)
            except InvalidInput:
                return
            raise AssertionError("a 120,000-character proofValue was accepted")

        def unbounded() -> None:
            multibase.b58decode(huge["proof"]["proofValue"][1:], max_chars=10**9)

        from fastapi.testclient import TestClient

        from gaio.http import create_app

        client = TestClient(create_app(gaio=g))
        form = client.get("/verify")
        csrf = form.text.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]
        body = {"credential": json.dumps(doc), "csrf_token": csrf}

        def web() -> None:
            assert client.post("/verify", data=body).status_code == 200

        results: dict[str, list[float]] = {"valid": [], "refused": [], "unbounded": [], "web": []}
        for _ in range(ROUNDS):
            results["valid"].append(timed(valid, 50))
            results["refused"].append(timed(refused, 200))
            results["unbounded"].append(timed(unbounded, 1))
            results["web"].append(timed(web, 20))
        g.close()
    medians = {k: statistics.median(v) for k, v in results.items()}
    out = {
        "machine": machine(),
        "rounds": ROUNDS,
        "median_seconds": medians,
        "refused_vs_valid": medians["refused"] / medians["valid"],
        "unbounded_vs_valid": medians["unbounded"] / medians["valid"],
    }
    target = ROOT / "benchmarks" / "results" / "certification.json"
    target.write_text(json.dumps(out, indent=2) + "\n")
    for key, value in medians.items():
        print(f"{key:>10}: {value * 1000:10.3f} ms")
    print(f"refused / valid: {out['refused_vs_valid']:.4f}x")
    print(f"unbounded decode / valid: {out['unbounded_vs_valid']:.0f}x")


if __name__ == "__main__":
    main()
