"""Validation + shape inference vs Keras building the same graph symbolically.

Prints, for each size, our median time, Keras' time and the ratio, all measured in this run
(these machines are noisy; compare ratios, not absolute times). Goal: under
50 ms at 1,000 nodes and at least 50x faster than Keras.

    .venv/bin/python benchmarks/bench_validate.py [--sizes 10,100,1000] [--full]
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

from benchmarks.graphs import build_keras, make_graph  # noqa: E402
from benchmarks.timing import median_time  # noqa: E402
from builder.core.validate import validate  # noqa: E402


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", default="10,100,1000")
    ap.add_argument("--full", action="store_true", help="also 10,000 nodes (Keras takes about a minute)")
    args = ap.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")] + ([10_000] if args.full else [])

    import keras  # imported before timing: the import itself (seconds) is not what we compare

    keras.backend.clear_session()
    print(f"{'nodes':>7} {'ours (ms)':>10} {'keras (ms)':>11} {'ratio':>8}  ok   params")
    worst_ratio = float("inf")
    for n in sizes:
        g = make_graph(n)
        report = validate(g)
        assert report.ok, report.issues[:3]
        ours = median_time(lambda g=g: validate(g), repeat=7 if n <= 1000 else 3)
        keras.backend.clear_session()
        t0 = time.perf_counter()
        model = build_keras(g)
        theirs = time.perf_counter() - t0
        assert model.count_params() == report.params.total, (model.count_params(), report.params.total)
        ratio = theirs / ours
        worst_ratio = min(worst_ratio, ratio)
        print(
            f"{len(g.nodes):>7} {ours * 1e3:>10.2f} {theirs * 1e3:>11.1f} {ratio:>7.0f}x  yes  {report.params.total:,}"
        )
        if n == 1000:
            print(
                f"         1,000-node goal: < 50 ms -> {'met' if ours < 0.05 else 'MISSED'}; >= 50x -> {'met' if ratio >= 50 else 'MISSED'}"
            )
    print(f"worst ratio (keras / ours): {worst_ratio:.0f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
