#!/usr/bin/env python
"""Compare every catalog entry (builder/core/catalog.json + layers/*.json) with the installed Keras classes.

Reads each class with ``inspect.signature``: param names exist, defaults equal Keras' under the
catalog's one ``is_default`` rule, the positional order matches, aliases, helpers and Keras-2
names are still right, and the category follows Keras' module. Prints one line per drift
("Type.param: what differs") and exits 1 when there is any, 0 when the catalog matches.

Usage: python scripts/check_catalog.py [--json] [TYPE ...]
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from builder.core.catalog import catalog, consistency_problems  # noqa: E402
from builder.keras_edge.catalog_check import check  # noqa: E402
from builder.keras_edge.runtime import keras_module  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("types", nargs="*", help="catalog types to check (default: all)")
    ap.add_argument("--json", action="store_true", help="print a JSON report")
    args = ap.parse_args(argv)
    cat = catalog()
    unknown = [t for t in args.types if t not in cat]
    if unknown:
        ap.error(f"not in the catalog: {', '.join(unknown)}")
    result = check(cat, args.types or None)
    problems = [str(d) for d in result.drift] + consistency_problems(cat)
    version = keras_module().__version__
    if args.json:
        report = {
            "keras": version,
            "types": result.types,
            "params": result.params,
            "defaults": result.defaults,
            "ok": not problems,
            "drift": [{"type": d.type, "param": d.param, "message": d.message} for d in result.drift],
            "catalog": consistency_problems(cat),
        }
        print(json.dumps(report, indent=2))
    else:
        for line in problems:
            print(line)
        verdict = "matches" if not problems else f"differs in {len(problems)} place(s) from"
        print(
            f"catalog ({result.types} types, {result.params} params, {result.defaults} defaults) "
            f"{verdict} Keras {version}"
        )
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
