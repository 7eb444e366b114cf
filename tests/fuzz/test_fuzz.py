"""Differential fuzzing, quick profile: the validator against Keras on random graphs.

For each graph of ``tests.fuzz_graphs.graphs()`` (hypothesis, derandomized: the same graphs on
every run): the validator never fails internally; when it accepts, Keras builds the graph with
the predicted shape on every node and the predicted total / trainable / non-trainable parameter
counts; when it reports an error, Keras refuses the graph, or every error is a documented case
Keras only hits at fit or predict time (the issue's ``keras`` verdict: runtime or stricter). ``builder.keras_edge.build`` is
compared with the direct Keras build too. The long profile is ``benchmarks/bench_fuzz_long.py``.
Every disagreement the fuzzers found is replayed from ``tests/cases/fuzz/``.
"""

from __future__ import annotations

import collections
import random
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings

from builder.core.validate import validate
from tests.fuzz.graphs import (
    MAX_DIM,
    MAX_NODES,
    compare,
    compare_with_compiler,
    graphs,
    keras_build,
    load_case,
    random_graph,
)

pytestmark = pytest.mark.keras

CASES = sorted((Path(__file__).resolve().parents[1] / "cases" / "fuzz").glob("*.json"))
QUICK = 200
SEEN: collections.Counter[str] = collections.Counter()


@pytest.fixture(scope="module", autouse=True)
def _keras() -> None:
    import os

    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    import keras  # noqa: F401  (imported once, outside hypothesis' timing)


@settings(
    max_examples=QUICK,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much],
)
@given(graphs())
def test_validator_agrees_with_keras(graph) -> None:
    outcome = compare(graph)
    SEEN[outcome.category] += 1
    SEEN["ours_ok" if outcome.ours_ok else "ours_error"] += 1
    assert outcome.agrees or outcome.known_bug, f"{outcome.category}: {outcome.detail}\n{graph.to_json(indent=None)}"
    diff = compare_with_compiler(graph, outcome)
    assert diff is None, f"{diff}\n{graph.to_json(indent=None)}"


def test_the_quick_profile_saw_both_verdicts() -> None:
    """Runs after the property (file order): the generator must exercise both sides."""
    if not SEEN:
        pytest.skip("the property did not run in this session")
    # Both sides well represented (the seed follows the test's module path, so the exact split moves
    # when the file does: 99/200 valid after the move to tests/fuzz/).
    assert SEEN["ours_ok"] >= QUICK * 2 // 5, SEEN
    assert SEEN["ours_error"] >= QUICK // 20, SEEN


def test_generator_covers_the_catalog_with_small_graphs() -> None:
    from builder.core.catalog import catalog

    gs = [random_graph(random.Random(seed)) for seed in range(300)]
    extra = [random_graph(random.Random(seed)) for seed in range(300, 1200)]
    # every type shows up (over more graphs: each type is a smaller share of a bigger catalog)
    types = collections.Counter(layer.type for g in gs + extra for layer in g.layers)
    assert set(types) == set(catalog().types), set(catalog().types) - set(types)
    assert all(len(g.nodes) <= MAX_NODES for g in gs)
    for g in gs:
        for layer in g.layers:
            if layer.type == "Input":
                assert all(d is None or 0 < d <= MAX_DIM for d in layer.config["shape"])
    reports = [validate(g) for g in gs]
    ok = sum(r.ok for r in reports)
    assert 0.6 * len(gs) <= ok <= 0.95 * len(gs), ok  # mostly valid, a fair share invalid
    # every kind of error shows up (over the same larger sample)
    more = reports + [validate(g) for g in extra]
    codes = collections.Counter(i.code for r in more for i in r.errors)
    for code in ("rank_mismatch", "bad_param", "shape_mismatch", "window_too_large", "shared_layer_mismatch"):
        assert codes[code] > 0, codes
    assert sum(any(g.is_shared(la.id) for la in g.layers) for g in gs) > 30
    assert sum(len(g.inputs) > 1 for g in gs) > 30 and sum(len(g.outputs) > 1 for g in gs) > 30
    assert sum(any(None in la.config["shape"] for la in g.layers if la.type == "Input") for g in gs) > 30
    # Deterministic: the same seed gives the same graph.
    assert random_graph(random.Random(7)).to_dict() == gs[7].to_dict()


@pytest.mark.parametrize("path", CASES, ids=[p.stem for p in CASES])
def test_fuzz_regression_cases(path: Path) -> None:
    graph, expect, note = load_case(path.read_text(encoding="utf-8"))
    if expect.get("known_bug"):  # a reported bug: the case keeps the disagreement until it is fixed
        outcome = compare(graph)
        assert outcome.known_bug == expect["known_bug"], (note, outcome)
        pytest.xfail(f"known bug {expect['known_bug']}: {note}")
    if expect.get("open"):  # a disagreement reported for a decision (stricter by design, or a bug?)
        outcome = compare(graph)
        assert outcome.category == expect["category"], (note, outcome)
        pytest.xfail(f"open disagreement: {note}")
    report = validate(graph)
    assert report.ok == expect["ours_ok"], note
    assert sorted({i.code for i in report.errors}) == expect["codes"], (note, report.errors)
    k = keras_build(graph)
    assert (k.error is None) == expect["keras_builds"], (note, k.error)
    outcome = compare(graph)
    assert outcome.agrees, f"{note}: {outcome.category}: {outcome.detail}"
