#!/usr/bin/env python
"""Write docs/LAYERS.md: every class of the installed keras.layers and whether the catalog has it,
refuses it (and why) or does not have it yet.

Usage: python scripts/layer_coverage.py [--check] [--output PATH]
  --check   write nothing; exit 1 when the committed file differs from what would be written
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from builder.core.refused import COVERAGE_DOC  # noqa: E402
from builder.keras_edge.layer_coverage import coverage, render  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--check", action="store_true", help="exit 1 when the committed table is out of date")
    ap.add_argument("--output", type=Path, default=ROOT / COVERAGE_DOC)
    args = ap.parse_args(argv)
    cov = coverage()
    text = render(cov)
    summary = (
        f"{len(cov.rows)} keras.layers classes: {cov.count('in')} in, {cov.count('refused')} refused, "
        f"{cov.count('not yet')} not yet"
    )
    if args.check:
        current = args.output.read_text(encoding="utf-8") if args.output.exists() else ""
        if current != text:
            print(f"{args.output} is out of date: run `make layer-coverage` ({summary})")
            return 1
        print(f"{args.output} is up to date ({summary})")
        return 0
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(text, encoding="utf-8")
    print(f"wrote {args.output} ({summary})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
