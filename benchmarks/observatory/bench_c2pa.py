"""C2PA verification time per file (c2pa-python through gaio's checker).

    python benchmarks/observatory/bench_c2pa.py

Signs a 512×512 PNG with a throw-away test CA (as the tests do), then times
:func:`gaio.evaluation.content_credentials.check` with the CA as trust list on the signed, a
tampered and an unsigned copy (median of 30 runs each). Writes ``benchmarks/results/c2pa.json``.
"""

from __future__ import annotations

import hashlib
import io
import json
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from cryptography.hazmat.primitives import serialization  # noqa: E402
from PIL import Image  # noqa: E402
from tests.evaluation.test_provenance import _ca, _sign, _signer  # noqa: E402

from gaio.evaluation.content_credentials import check  # noqa: E402


def main() -> None:
    ca_key, ca = _ca("bench root")
    buf = io.BytesIO()
    Image.effect_noise((512, 512), 64).convert("RGB").save(buf, "PNG")
    png = buf.getvalue()
    signed = _sign(_signer(ca_key, ca, "bench signer"), png)
    tampered = bytearray(signed)
    tampered[tampered.rfind(b"IDAT") + 8] ^= 1
    trust = ca.public_bytes(serialization.Encoding.PEM).decode()
    out = {}
    for name, data in (("signed", signed), ("tampered", bytes(tampered)), ("unsigned", png)):
        digest = hashlib.sha256(data).hexdigest()
        times = []
        for _ in range(30):
            start = time.perf_counter()
            verdict = check("x.png", data, digest, trust)
            times.append(time.perf_counter() - start)
        out[name] = {
            "bytes": len(data),
            "verdict": verdict.verdict,
            "median_ms": round(1000 * statistics.median(times), 2),
        }
    path = ROOT / "benchmarks" / "results" / "c2pa.json"
    path.write_text(json.dumps(out, indent=2) + "\n")
    print(json.dumps(out, indent=2))


if __name__ == "__main__":
    main()
