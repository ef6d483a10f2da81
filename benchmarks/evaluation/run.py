"""One command for the evaluation benchmarks; prints and writes a markdown report.

    python benchmarks/evaluation/run.py                 # 1M-row peers + 10M scale
    python benchmarks/evaluation/run.py --scale 10000000,100000000
    python benchmarks/evaluation/run.py --skip-peers --scale 0

Peers get their own virtual environments under --cache (default ~/.cache/gaio-bench).
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_fairness import ensure_gaio_venv, run_peers
from bench_scale import run_scale


def machine() -> str:
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
        mem_kib = int(Path("/proc/meminfo").read_text().split()[1])
        mem = f"{mem_kib / 2**20:.0f} GiB RAM"
    except OSError:
        mem = "unknown RAM"
    system = f"{platform.system()} {platform.release()}"
    return f"{os.cpu_count()} cores ({cpu}), {mem}, {system}, Python {platform.python_version()}"


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--scale", default="10000000", help="comma-separated row counts; 0 to skip")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--cache", type=Path, default=Path.home() / ".cache" / "gaio-bench")
    parser.add_argument("--skip-peers", action="store_true")
    parser.add_argument("--out", type=Path, default=Path(__file__).resolve().parent / "results.md")
    args = parser.parse_args()
    work = args.cache / "data"
    work.mkdir(parents=True, exist_ok=True)

    lines = [f"Machine: {machine()}.", ""]
    if args.rows:
        print(f"peers on {args.rows:,} rows", flush=True)
        peers = run_peers(work, args.cache, args.rows, args.repeats, args.skip_peers)
        base = next(v for k, v in peers.items() if k.startswith("gaio evaluate"))
        lines += [
            f"### Peers: {args.rows:,}-row CSV, binary label, one sensitive attribute (2 groups)",
            "",
            "| tool (end to end, own process) | wall time (s) | peak RSS (MiB) "
            "| time ÷ gaio CLI time |",
            "|---|---:|---:|---:|",
        ]
        for name, r in peers.items():
            lines.append(
                f"| {name} | {r['wall_s']:.2f} | {r['peak_rss_mib']:.0f} "
                f"| {r['wall_s'] / base['wall_s']:.1f}× |"
            )
        lines.append("")
    sizes = [int(s) for s in args.scale.split(",") if s.strip() and int(s)]
    if sizes:
        print("scale", flush=True)
        scale = run_scale(work, sizes, max(1, min(args.repeats, 2)), ensure_gaio_venv(args.cache))
        lines += [
            "### Scale: Parquet, gaio CLI vs bare DuckDB `COUNT(*) … GROUP BY` queries",
            "",
            "| rows | file (MiB) | sensitive attributes | gaio (s) | gaio peak RSS (MiB) "
            "| floor (s) | floor peak RSS (MiB) | gaio ÷ floor "
            "| gaio pass (s) | floor query (s) | pass ÷ floor query "
            "| counts query (s) | pass ÷ counts query |",
            "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
        ]
        for r in scale:
            lines.append(
                f"| {r['rows']:,} | {r['file_mib']:.0f} | {r['attributes']} "
                f"| {r['gaio_s']:.2f} | {r['gaio_mib']:.0f} "
                f"| {r['floor_s']:.2f} | {r['floor_mib']:.0f} | {r['floor_ratio']:.2f}× "
                f"| {r['gaio_query_s']:.2f} | {r['floor_query_s']:.2f} "
                f"| {r['floor_query_ratio']:.2f}× "
                f"| {r['counts_query_s']:.2f} | {r['counts_query_ratio']:.2f}× |"
            )
    text = "\n".join(lines) + "\n"
    args.out.write_text(text)
    print(text)


if __name__ == "__main__":
    main()
