"""Fuzzing the quick fixes: on random graphs, with a seed-like bug planted in each, every fix
offered applies without error, removes the issue it fixes without breaking what already had a
shape, and is one step of the editor's undo history (undo gives back the graph exactly).

The bugs planted (``_plant``) are the seed posts' mistakes on random material: a Concatenate or
an Add of two random nodes, an unused Input of some node's shape, a second call of a Dense layer
on another width, loss dicts keyed by names no head has. Pure Python: no Keras.
"""

from __future__ import annotations

import random
from collections import Counter

import pytest

from builder.core.fixes import fixes_for
from builder.core.graph import Graph
from builder.core.validate import Issue, validate
from tests.fuzz.graphs import random_graph
from ui.document import Document

GRAPHS = 150


def _sinks(g: Graph) -> list[str]:
    return [n.id for n in g.nodes if not g.out_edges.get(n.id)]


def _plant(rng: random.Random, g: Graph) -> tuple[Graph, str]:
    report = validate(g)
    shaped = [n for n, s in report.shapes.items() if s is not None]
    outputs = _sinks(g)
    kind = rng.choice(["concat", "add", "unused_input", "shared_dense", "loss_keys"])
    if kind in ("concat", "add") and len(shaped) >= 2:
        a, b = rng.sample(shaped, 2)
        g, m = g.add("Concatenate" if kind == "concat" else "Add", {}, inputs=[a, b])
    elif kind == "unused_input" and shaped:
        shape = report.shapes[rng.choice(shaped)]
        assert shape is not None
        g, _ = g.add("Input", {"shape": tuple(shape[1:])})
        return g.set_outputs(outputs), kind
    elif kind == "shared_dense":
        dense = [n for n in shaped if g.layer_of(n).type == "Dense"]
        if dense:
            d = rng.choice(dense)
            width = report.shapes[g.input_nodes(d)[0]]
            other = [n for n in shaped if (s := report.shapes[n]) and width and s[-1] != width[-1] and n != d]
            if other:
                g, _ = g.add_node(g.node_by_id[d].layer, inputs=[rng.choice(other)])
    g = g.set_outputs(_sinks(g))
    if kind == "loss_keys" and g.outputs:
        names = ["age", "income", "gender", "score"][: len(g.outputs)]
        g = g.set_training({"loss": {n: "mse" for n in names}, "loss_weights": {n: 1.0 for n in names}})
    return g, kind


def _key(i: Issue) -> tuple[object, ...]:
    return (i.code, i.node, i.port) if i.node is not None else (i.code, i.message.split(";")[0])


def test_every_offered_fix_applies_removes_its_issue_and_undoes() -> None:
    tried: Counter[str] = Counter()
    planted: Counter[str] = Counter()
    for seed in range(GRAPHS):
        rng = random.Random(seed)
        graph, kind = _plant(rng, random_graph(rng, max_nodes=8))
        planted[kind] += 1
        report = validate(graph)
        for index, fixes in fixes_for(graph, report).items():
            issue = report.issues[index]
            for fix in fixes:
                fixed = fix.apply(graph)  # never raises
                after = validate(fixed)
                assert _key(issue) not in {_key(i) for i in after.issues}, (seed, fix.id, issue.message)
                assert not any(i.code == "internal_error" for i in after.issues), (seed, fix.id)
                had_shape = {n for n, s in report.shapes.items() if s is not None}
                old = {_key(i) for i in report.errors}
                new = [i for i in after.errors if _key(i) not in old]
                assert all(i.node is not None and i.node not in had_shape and i.node in report.shapes for i in new), (
                    seed,
                    fix.id,
                    [i.message for i in new],
                )
                doc = Document(graph=graph)
                assert doc.apply(fixed, fix.label)
                assert doc.past[-1][1] == fix.label and len(doc.past) == 1
                assert doc.undo() == fix.label and doc.graph == graph
                tried[fix.id.split(":")[0]] += 1
    # the property was exercised on every kind of planted bug
    for kind in ("concat_axis", "connect_input", "remove_input", "unshare", "rename_head", "rename_key"):
        assert tried[kind] > 0, (tried, planted)
    assert sum(tried.values()) >= 100, tried


@pytest.mark.parametrize("seed", range(20))
def test_fixes_never_crash_on_unplanted_random_graphs(seed: int) -> None:
    graph = random_graph(random.Random(1000 + seed))
    for fixes in fixes_for(graph).values():
        for fix in fixes:
            assert isinstance(fix.apply(graph), Graph)
