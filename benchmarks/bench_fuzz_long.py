"""The long differential-fuzzing profile: our validator against Keras on N random graphs.

    .venv/bin/python benchmarks/bench_fuzz_long.py --n 10000 [--seed 0] [--time-limit 600] [--save DIR]

Graph k is ``tests.fuzz.graphs.random_graph(random.Random(seed + k))``, so any reported graph can be
replayed from its number. Prints the agreement figure (agree / total, where "agree" counts both
exact agreement and the documented "stricter" cases: errors Keras only hits at fit or predict time)
and every disagreement with its category. ``--save DIR`` writes each disagreement as a regression
case (see tests/cases/fuzz/README.md). Exit code 0 when every graph agrees, 1 otherwise.
"""

from __future__ import annotations

import argparse
import collections
import json
import os
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

from tests.fuzz.graphs import case_doc, compare, compare_with_compiler, random_graph  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=1000, help="number of graphs (the full profile is 10000)")
    ap.add_argument("--seed", type=int, default=0, help="graph k uses random.Random(seed + k)")
    ap.add_argument("--time-limit", type=float, default=None, help="stop after this many seconds")
    ap.add_argument("--compiler", action="store_true", help="also compare builder.keras_edge.build.compile_graph")
    ap.add_argument("--save", type=Path, default=None, help="write each disagreement as a case file here")
    args = ap.parse_args(argv)

    import keras

    start = time.perf_counter()
    cats: collections.Counter[str] = collections.Counter()
    stricter: collections.Counter[str] = collections.Counter()
    bad: list[tuple[int, str, str]] = []
    done = 0
    for k in range(args.n):
        if args.time_limit and time.perf_counter() - start > args.time_limit:
            break
        seed = args.seed + k
        g = random_graph(random.Random(seed))
        outcome = compare(g)
        cats[outcome.category] += 1
        if outcome.category == "stricter":
            for reason in outcome.detail.split(" | "):
                stricter[reason] += 1
        if not outcome.agrees:
            bad.append((seed, outcome.category, outcome.detail))
            print(f"seed {seed}: {outcome.category}: {outcome.detail[:500]}", flush=True)
            if args.save:
                args.save.mkdir(parents=True, exist_ok=True)
                doc = case_doc(g, outcome, f"bench_fuzz_long seed {seed}: {outcome.category}")
                (args.save / f"seed{seed}.json").write_text(json.dumps(doc, indent=1, ensure_ascii=False) + "\n")
        elif args.compiler:
            diff = compare_with_compiler(g, outcome)
            if diff:
                cats["compiler_differs"] += 1
                bad.append((seed, "compiler_differs", diff))
                print(f"seed {seed}: compiler_differs: {diff[:500]}", flush=True)
        done += 1
        if done % 100 == 0:
            keras.backend.clear_session()  # keep Keras' name counters and graph state small
        if done % 500 == 0:
            print(f"  ... {done} graphs, {time.perf_counter() - start:.0f} s", file=sys.stderr, flush=True)
    elapsed = time.perf_counter() - start
    agree = cats["agree"] + cats["stricter"]
    print(
        f"\ngraphs: {done} (seeds {args.seed}..{args.seed + done - 1}) in {elapsed:.1f} s "
        f"({1000 * elapsed / max(done, 1):.1f} ms per graph, Keras build included)"
    )
    print(f"agreement: {agree} / {done} ({100 * agree / max(done, 1):.2f} %)")
    for cat, n in sorted(cats.items()):
        print(f"  {cat:<40} {n}")
    if stricter:
        print("stricter than Keras (documented; Keras fails at fit/predict or the builder caps sizes):")
        for reason, n in stricter.most_common():
            print(f"  {n:>5}  {reason}")
    if bad:
        print(f"disagreements: {len(bad)}")
        for seed, cat, detail in bad:
            print(f"  seed {seed}: {cat}: {detail[:300]}")
    return 0 if not bad else 1


if __name__ == "__main__":
    sys.exit(main())
