"""Server time of an app rerun after a canvas edit, at 10, 100, 200 and 1,000 nodes.

Each rerun is driven through ``streamlit.testing.v1.AppTest`` exactly as the browser drives
the server: the canvas component answers with its full state after the user drags a node,
and the script maps that to a graph edit, validates, rebuilds the canvas view and decides
whether to push. The baseline, measured in the same run, is a rerun of the empty canvas.
Prints the server time (the page script's run, timed around ``ui.editor.render``; AppTest's
own bookkeeping excluded) as the median of several reruns, and its ratio to the baseline.

    .venv/bin/python benchmarks/bench_rerun.py [--repeat 7] [--sizes 10 100 200 1000]
"""

from __future__ import annotations

import argparse
import copy
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from streamlit.testing.v1 import AppTest  # noqa: E402

import ui.editor  # noqa: E402
from benchmarks.graphs import make_graph  # noqa: E402
from builder.core.layout import auto_layout  # noqa: E402
from ui.flow import FLOW_KEY  # noqa: E402

APP = str(ROOT / "app.py")
_script_times: list[float] = []
_render = ui.editor.render


def _timed_render() -> None:
    """The editor page's script, timed: the server's own work for the rerun."""
    t = time.perf_counter()
    try:
        _render()
    finally:
        _script_times.append(time.perf_counter() - t)


ui.editor.render = _timed_render  # the page calls ``editor.render()`` at run time


def _answer(at: AppTest, nodes: list[dict], edges: list[dict]) -> None:
    s = at.session_state["kgb_sync"]
    ts = max(s.timestamp, s.last_answer or 0) + 1
    at.session_state[FLOW_KEY] = {"nodes": nodes, "edges": edges, "selectedId": None, "timestamp": ts}


def _timed_run(at: AppTest) -> float:
    """Server time of one rerun (the page script; AppTest's own bookkeeping excluded)."""
    _script_times.clear()
    at.run()
    assert not at.exception, at.exception
    assert len(_script_times) == 1, _script_times
    return _script_times[0]


def measure(n_nodes: int, repeat: int) -> tuple[float, float]:
    """(median seconds of a rerun after a drag, same after an inspector param edit)."""
    at = AppTest.from_file(APP, default_timeout=120)
    at.run()
    doc = at.session_state["kgb_doc"]
    if n_nodes:
        doc.apply(auto_layout(make_graph(n_nodes)), "load")
    at.run()
    s = at.session_state["kgb_sync"]
    nodes, edges = copy.deepcopy(s.nodes), copy.deepcopy(s.edges)
    _answer(at, nodes, edges)  # the component adopts the pushed state and echoes it
    at.run()
    drag: list[float] = []
    for i in range(repeat + 1):
        if nodes:
            nodes[len(nodes) // 2]["position"]["x"] += 10.0 + i
        _answer(at, nodes, edges)
        drag.append(_timed_run(at))
    param: list[float] = []
    if n_nodes:
        target = next(n.id for n in doc.graph.nodes if doc.graph.layer_of(n.id).type == "Dense")
        doc.select(target)
        at.run()
        for i in range(repeat + 1):
            key = next(w.key for w in at.number_input if w.key and w.key.startswith(f"param:{target}:units:"))
            at.number_input(key=key).set_value(16 + i % 2 * 16)
            param.append(_timed_run(at))
            # the component adopts the push that the edit caused (its echo is a cheap rerun)
            _answer(at, copy.deepcopy(s.nodes), copy.deepcopy(s.edges))
            at.run()
    return statistics.median(drag[1:]), (statistics.median(param[1:]) if param else float("nan"))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=7)
    ap.add_argument("--sizes", type=int, nargs="+", default=[10, 100, 200, 1000])
    args = ap.parse_args(argv)
    os.environ.setdefault("KGB_STATE_DIR", tempfile.mkdtemp(prefix="kgb-bench-"))
    base, _ = measure(0, args.repeat)
    print(f"baseline: empty-canvas rerun {base * 1000:.1f} ms (server script time, median of {args.repeat})")
    print(f"{'nodes':>6}  {'drag rerun':>11}  {'x baseline':>10}  {'param edit':>11}  {'x baseline':>10}")
    for n in args.sizes:
        drag, param = measure(n, args.repeat)
        print(f"{n:>6}  {drag * 1000:>8.1f} ms  {drag / base:>9.1f}x  {param * 1000:>8.1f} ms  {param / base:>9.1f}x")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
