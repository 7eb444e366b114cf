"""The keras-io coverage goal: the share of keras-io's in-scope layer calls (docs/layer_usage_keras_io.md)
whose class the catalog covers. It can only go up: raise FLOOR when the catalog grows."""

from __future__ import annotations

import re
from pathlib import Path

from builder.core.catalog import catalog
from builder.core.refused import REFUSED

USAGE = Path(__file__).resolve().parents[2] / "docs" / "layer_usage_keras_io.md"
OUT_OF_SCOPE = ("Lambda", "TFSMLayer", "GRUCell", "RNN")  # code-running, a cell, the generic RNN
TOTAL_CALLS, IN_SCOPE_CALLS = 2266, 2188
FLOOR = 2188 / 2188  # 2026-12-03: 118 types, every in-scope keras-io call (84.0 % with the 33 types of 2026-12-02)


def usage_rows() -> list[tuple[str, int]]:
    rows = []
    for line in USAGE.read_text(encoding="utf-8").splitlines():
        m = re.match(r"\| (\S+) \| (\d+) \| (\d+) \|", line)
        if m:
            rows.append((m.group(1), int(m.group(2))))
    return rows


def in_scope(rows: list[tuple[str, int]]) -> list[tuple[str, int]]:
    return [(c, n) for c, n in rows if "." not in c and c not in OUT_OF_SCOPE]


def test_the_usage_table_is_the_one_the_goal_was_set_on() -> None:
    rows = usage_rows()
    assert len(rows) == 88 and sum(n for _, n in rows) == TOTAL_CALLS
    assert sum(n for _, n in in_scope(rows)) == IN_SCOPE_CALLS
    assert set(OUT_OF_SCOPE) <= set(REFUSED)  # out of scope because refused, with a reason


def test_catalog_covers_at_least_the_recorded_share_of_keras_io_calls() -> None:
    names = catalog().class_names()
    rows = in_scope(usage_rows())
    covered = sum(n for c, n in rows if c in names)
    missing = sorted(((n, c) for c, n in rows if c not in names), reverse=True)
    share = covered / IN_SCOPE_CALLS
    print(f"\nkeras-io in-scope calls covered: {covered}/{IN_SCOPE_CALLS} = {share:.1%}")
    print("missing, by calls: " + ", ".join(f"{c} {n}" for n, c in missing))
    assert share >= FLOOR, f"coverage of keras-io calls fell to {share:.1%} (floor {FLOOR:.1%}); missing: {missing}"
