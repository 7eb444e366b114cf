"""The workspace store (builder.store) against plain baselines measured in the same run.

* models page: ``list_models()`` over 1,000 models (and one 50-row page) vs ``json.loads`` of a
  flat index of the same 1,000 summaries and a raw ``sqlite3`` SELECT of the same columns;
* saving a 1,000-node graph: ``Workspace.save`` (with the editor's report at hand, and
  validating itself; with no and with a 10-step undo history) vs ``graph.to_json`` and a raw
  ``sqlite3`` INSERT of that JSON in a WAL database with the same ``synchronous=FULL``;
* opening a model with 10,000 versions (``get_model`` + the first page of ``list_versions``)
  vs the same on a model with one version (a ratio near 1 means it does not grow).

Targets (issue 13): models page under 1 s with 1,000 models, a 1,000-node save under 50 ms,
a 10,000-version model opening "at once". These machines are noisy: compare ratios.

    .venv/bin/python benchmarks/bench_store.py [--url postgresql://...] [--repeat 15]
"""

from __future__ import annotations

import argparse
import json
import shutil
import sqlite3
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import insert, update  # noqa: E402

from benchmarks.graphs import make_graph  # noqa: E402
from benchmarks.timing import median_time  # noqa: E402
from builder import from_dict, load_graph
from builder.core.validate import validate  # noqa: E402
from builder.store import UndoHistory, Workspace  # noqa: E402
from builder.store.schema import models, versions  # noqa: E402
from builder.store.workspace import _summary, graph_json  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent


def row(what: str, ours: float, base: float, base_name: str) -> None:
    print(f"{what:<44} {ours * 1e3:9.2f} ms  {base_name:<28} {base * 1e3:9.2f} ms  ratio {ours / base:7.1f}x")


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--url", help="a database URL (default: SQLite in a temp dir)")
    ap.add_argument("--repeat", type=int, default=15)
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="kgb-bench-store-"))
    url = args.url or f"sqlite:///{tmp / 'workspace.sqlite3'}"
    ws = Workspace.open(url)
    print(f"database: {ws.engine.dialect.name}")

    # ------------------------------------------------------------ models page, 1,000 models
    news = load_graph(ROOT / "builder" / "templates" / "news.json")
    report = validate(news)
    for i in range(1000):
        ws.create_model(f"model {i:04d}", news, report=report)
    listing = median_time(lambda: ws.list_models(), args.repeat)
    page = median_time(lambda: ws.list_models(limit=50), args.repeat)
    index = json.dumps(
        [
            {"id": m.id, "name": m.name, "params": m.params, "inputs": m.inputs, "outputs": m.outputs}
            | {"updated_at": m.updated_at, "n_nodes": m.n_nodes, "ok": m.ok}
            for m in ws.list_models()
        ]
    )
    base_json = median_time(lambda: json.loads(index), args.repeat)
    raw = sqlite3.connect(tmp / "raw.sqlite3")
    raw.execute("PRAGMA journal_mode=WAL")
    raw.execute("PRAGMA synchronous=FULL")
    raw.execute("CREATE TABLE m (id TEXT PRIMARY KEY, name TEXT, params INT, inputs TEXT, outputs TEXT, t REAL)")
    raw.executemany(
        "INSERT INTO m VALUES (?, ?, ?, ?, ?, ?)",
        [(str(i), f"model {i}", 5_200_610, '["a"]', '["b"]', float(i)) for i in range(1000)],
    )
    raw.commit()
    base_sql = median_time(lambda: raw.execute("SELECT * FROM m ORDER BY t DESC").fetchall(), args.repeat)
    print(f"\nmodels page, {len(ws.list_models())} models (target < 1000 ms)")
    row("list_models() all 1,000", listing, base_json, "json.loads(flat index)")
    row("list_models() all 1,000", listing, base_sql, "raw sqlite3 SELECT")
    row("list_models(limit=50)", page, base_sql, "raw sqlite3 SELECT (1,000)")

    # ------------------------------------------------------------ saving a 1,000-node graph
    big = make_graph(1000)
    big_report = validate(big)
    mid = ws.create_model("big", big, report=big_report)
    rev = [ws.get_model(mid).revision]
    # one new graph object per save, as after an edit (graphs memoize their JSON once saved)
    n_edits = 4 * args.repeat + 20
    first = big.nodes[5].id
    edits = [big.move(first, float(i), 0.0) for i in range(n_edits)]
    step = iter(range(10, n_edits))

    def save(history: str, with_report: bool) -> None:
        i = next(step)
        if history == "none":
            hist = None
        else:  # the 10 graphs before: already saved (warm), or never serialized (cold)
            past = edits[i - 10 : i] if history == "warm" else cold_graphs[i % len(cold_graphs)]
            hist = UndoHistory(past=tuple((g, "move") for g in past))
        rev[0] = ws.save(mid, edits[i], hist, rev[0], report=big_report if with_report else None)

    for g in edits:
        graph_json(g)  # the earlier graphs were serialized when they were saved
    edits[10:] = [big.move(first, float(i), 1.0) for i in range(10, n_edits)]  # the new ones are not
    cold_graphs = [[from_dict(g.to_dict()) for g in edits[:10]] for _ in range(args.repeat // 2)]
    to_json = median_time(lambda: big.to_json(indent=None), args.repeat)
    text = big.to_json(indent=None)
    raw.execute("CREATE TABLE g (id INTEGER PRIMARY KEY, graph TEXT)")

    def raw_insert() -> None:
        raw.execute("INSERT INTO g (graph) VALUES (?)", (text,))
        raw.commit()

    base_insert = median_time(raw_insert, args.repeat)
    with_report = median_time(lambda: save("none", True), args.repeat // 2)
    validating = median_time(lambda: save("none", False), args.repeat // 2)
    warm = median_time(lambda: save("warm", True), args.repeat)
    cold = median_time(lambda: save("cold", True), args.repeat // 2)

    def save_inline() -> None:  # what schema 0001 did: one UPDATE with every undo step's graph inline
        i = next(step)
        hist = UndoHistory(past=tuple((g, "move") for g in edits[i - 10 : i]))
        with ws.engine.connect().execution_options(kgb_write=True) as conn, conn.begin():
            conn.execute(
                update(models)
                .where(models.c.id == mid)
                .values(graph=graph_json(edits[i]), history=hist.to_json(), revision=models.c.revision + 1)
                .values(**_summary(edits[i], big_report))
            )
        rev[0] += 1

    inline = median_time(save_inline, args.repeat // 2)
    print(f"\nsaving a {len(big.nodes)}-node graph ({len(text) / 1e3:.0f} kB JSON; target < 50 ms)")
    row("save(report given)", with_report, base_insert, "raw sqlite3 INSERT+commit")
    row("save(report given)", with_report, to_json, "graph.to_json()")
    row("save(validating)", validating, base_insert, "raw sqlite3 INSERT+commit")
    row("save(report, 10-step history, after edit)", warm, base_insert, "raw sqlite3 INSERT+commit")
    row("save(report, 10-step history, unserialized)", cold, base_insert, "raw sqlite3 INSERT+commit")
    row("save(report, 10-step history, after edit)", warm, inline, "0001: history inline (UPDATE)")

    # ------------------------------------------------------------ a model with 10,000 versions
    many = ws.create_model("many versions", news, report=report)
    few = ws.create_model("one version", news, report=report)
    ws.create_version(few)
    gtext = news.to_json(indent=None)
    with ws.engine.begin() as conn:
        conn.execute(
            insert(versions),
            [
                {"model_id": many, "number": n, "kind": "auto", "created_at": float(n), "graph": gtext}
                | {"params": 5_200_610}
                for n in range(1, 10_001)
            ],
        )

    def open_model(model_id: str) -> None:
        ws.get_model(model_id)
        ws.list_versions(model_id)

    t_many = median_time(lambda: open_model(many), args.repeat)
    t_few = median_time(lambda: open_model(few), args.repeat)
    print("\nopening a model + its first page of versions")
    row("10,000 versions", t_many, t_few, "1 version")
    ws.close()
    raw.close()
    shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
