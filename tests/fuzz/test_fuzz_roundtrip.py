"""Round-trip fuzzing (issue 7, item 2) on random valid graphs over the whole catalog:

* graph -> JSON -> graph is the identity;
* graph -> Python (codegen) -> ``ast`` import -> graph gives the same layers (configs with
  Keras defaults resolved), wiring, sharing, inputs and outputs;
* graph -> Python -> exec -> model equals ``build_model(graph)``: the same layer classes,
  configs, connectivity, output shapes and parameter counts.
"""

from __future__ import annotations

import random
from typing import Any

import pytest
from hypothesis import HealthCheck, assume, given, settings

from builder.codegen import to_python
from builder.core.catalog import catalog, inner_layer
from builder.core.graph import Graph, loads
from builder.core.validate import validate
from builder.importers import import_python
from builder.importers.common import normalize_value
from tests.fuzz.graphs import graphs, random_graph
from tests.helpers import without_wrapped_names

FUZZ = settings(
    max_examples=120,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much],
)


def _value(t: Any, key: str, value: Any) -> Any:
    """A config value compared as the catalog reads it; a wrapped layer by its own non-default params."""
    param = t.params[key]
    inner = inner_layer(value) if param.kind == "layer" else None
    if inner is None:
        return normalize_value(param.kind, value)
    it = catalog()[inner[0]]
    return (
        inner[0],
        tuple(sorted((k, repr(_value(it, k, v))) for k, v in inner[1].items() if not it.is_default(k, v))),
    )


def canonical(graph: Graph) -> tuple[Any, ...]:
    """Layers by name with resolved configs, edges by node label, inputs and outputs by name."""
    cat = catalog()
    layers = []
    for la in graph.layers:
        t = cat[la.type]
        resolved = t.resolved(dict(la.config))
        # Values equal to Keras' default under the catalog's one is_default rule compare equal
        # (activation='linear' and None; codegen leaves both out).
        items = tuple(sorted((k, repr(_value(t, k, v))) for k, v in resolved.items() if not t.is_default(k, v)))
        layers.append((la.name, la.type, items, len(graph.calls.get(la.id, []))))
    edges = sorted((graph.node_label(e.source), graph.node_label(e.target), e.port) for e in graph.edges)
    return (
        sorted(layers),
        edges,
        [graph.node_label(i) for i in graph.inputs],
        graph.output_names(),
    )


def live_part(graph: Graph) -> Graph:
    """Codegen writes what Keras keeps: drop the nodes that reach no output (and their layers)."""
    from builder.core.order import live_nodes

    live = live_nodes(graph)
    g = graph
    for node in graph.nodes:
        if node.id not in live:
            g = g.remove_node(node.id)
    return g


def valid(graph: Graph) -> bool:
    report = validate(graph)
    return report.ok and not report.warnings


@FUZZ
@given(graphs())
def test_json_round_trip_is_the_identity(graph: Graph) -> None:
    again = loads(graph.to_json())
    assert again == graph
    assert again.to_json() == graph.to_json()


@FUZZ
@given(graphs())
def test_python_export_then_import_gives_the_same_graph(graph: Graph) -> None:
    graph = live_part(graph)
    assume(valid(graph))
    back = import_python(to_python(graph))
    assert canonical(back.graph) == canonical(graph)
    assert validate(back.graph).params == validate(graph).params


@pytest.mark.keras
def test_exported_python_rebuilds_the_compiled_model() -> None:
    import os

    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    import keras

    from builder.keras_edge.build import build_model

    rng = random.Random(20261125)
    checked = 0
    while checked < 40:
        graph = live_part(random_graph(rng))
        if not valid(graph):
            continue
        keras.backend.clear_session()
        ours = build_model(graph)
        namespace: dict[str, Any] = {}
        exec(compile(to_python(graph), "<generated>", "exec"), namespace)  # our own generated code
        theirs = namespace["build_model"]()
        assert [(type(la).__name__, la.name) for la in theirs.layers] == [
            (type(la).__name__, la.name) for la in ours.layers
        ]
        for a, b in zip(ours.layers, theirs.layers):
            assert without_wrapped_names(a.get_config()) == without_wrapped_names(b.get_config()), a.name
            assert a.count_params() == b.count_params(), a.name
            assert len(a._inbound_nodes) == len(b._inbound_nodes), a.name  # sharing kept
        assert [tuple(o.shape) for o in theirs.outputs] == [tuple(o.shape) for o in ours.outputs]
        assert theirs.count_params() == ours.count_params() == validate(graph).params.total
        checked += 1
