"""Our shape and weight rules against real Keras, one case of ``tests/reference_models.py`` at a time.

For each case we build the layer in Keras on ``keras.Input`` tensors (symbolic only, never fit)
and run our validator on a tiny graph (Input nodes of the case's shapes -> one node of the layer,
which is the model output). Both must agree: the same output shape (``None`` where Keras has
``None``), the same trainable and non-trainable parameter counts, and an error on the node exactly
where Keras refuses the call (plus the cases the table marks ``stricter``, with a reason).
"""

from __future__ import annotations

import importlib
import math
import os
import warnings
from dataclasses import dataclass
from typing import Any

import numpy as np
import pytest

from builder import Edge, Graph, Layer, Node, validate
from builder.core.catalog import catalog
from builder.keras_edge.build import keras_kwargs
from tests.reference_models import CASES, Case, by_type, shape_text

pytestmark = pytest.mark.keras

LAYER = "under_test"  # the name (and id) of the layer under test in our graph


@dataclass
class KerasOutcome:
    error: str | None  # the exception Keras raised, if any
    shape: tuple[int | None, ...] | None = None
    trainable: int = 0
    non_trainable: int = 0
    layer: Any = None  # the built Keras layer (None for Input)


@pytest.fixture(scope="session")
def keras_mod() -> Any:
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    return importlib.import_module("keras")


def _keras_class(keras: Any, path: str) -> Any:
    obj = keras
    for part in path.split(".")[1:]:
        obj = getattr(obj, part)
    return obj


def _keras_inputs(keras: Any, case: Case) -> list[Any]:
    return [keras.Input(shape=s[1:], batch_size=s[0], dtype=case.dtype) for s in case.inputs]


def run_keras(keras: Any, case: Case) -> KerasOutcome:
    ltype = catalog()[case.type]
    config = dict(case.config)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            if case.type == "Input":
                x = keras.Input(**config)
                return KerasOutcome(None, tuple(x.shape))
            inputs = _keras_inputs(keras, case)
            layer = _keras_class(keras, ltype.keras)(**keras_kwargs(keras, catalog(), ltype, config))
            out = layer(*ltype.call_arguments(inputs))
    except Exception as exc:  # Keras raises ValueError, TypeError, ZeroDivisionError...
        return KerasOutcome(f"{type(exc).__name__}: {exc}")
    return KerasOutcome(
        None,
        tuple(out.shape) if hasattr(out, "shape") else tuple(tuple(o.shape) for o in out),  # several outputs
        sum(math.prod(w.shape) for w in layer.trainable_weights),
        sum(math.prod(w.shape) for w in layer.non_trainable_weights),
        layer,
    )


def case_graph(case: Case) -> Graph:
    """Input nodes of the case's shapes -> one node of the layer under test (the model output)."""
    if case.type == "Input":
        layer = Layer(LAYER, LAYER, "Input", dict(case.config))
        return Graph(layers=(layer,), nodes=(Node(LAYER, LAYER),), inputs=(LAYER,), outputs=(LAYER,))
    layers, nodes, edges = [], [], []
    for port, shape in enumerate(case.inputs):
        config: dict[str, Any] = {"shape": tuple(shape[1:])}
        if shape[0] is not None:
            config["batch_size"] = shape[0]
        if case.dtype:
            config["dtype"] = case.dtype
        layers.append(Layer(f"in{port}", f"in{port}", "Input", config))
        nodes.append(Node(f"in{port}", f"in{port}"))
        edges.append(Edge(f"in{port}", LAYER, port))
    layers.append(Layer(LAYER, LAYER, case.type, dict(case.config)))
    nodes.append(Node(LAYER, LAYER))
    return Graph(
        layers=tuple(layers),
        nodes=tuple(nodes),
        edges=tuple(edges),
        inputs=tuple(n.id for n in nodes[:-1]),
        outputs=(LAYER,),
    )


@pytest.mark.parametrize("case", [pytest.param(c, id=c.id) for c in CASES])
def test_rules_match_keras(keras_mod: Any, case: Case) -> None:
    k = run_keras(keras_mod, case)
    report = validate(case_graph(case))
    errors = report.errors
    ours = [i for i in errors if i.node == LAYER]
    described = f"Keras: {k.error or (k.shape, k.trainable, k.non_trainable)}; ours: " + (
        "; ".join(f"[{i.code}] {i.message}" for i in errors)
        or str((report.shapes.get(LAYER), report.layer_params.get(LAYER)))
    )

    # The table's verdict is Keras' verdict.
    assert (k.error is None) == case.ok, f"the table says ok={case.ok}. {described}"
    # Errors only ever land on the layer under test (the Input nodes are fine).
    assert all(i.node == LAYER for i in errors), described
    if case.ours_error:
        why = f"the table marks it stricter ({case.note})" if case.ok else "Keras refuses this call"
        assert ours, f"{why}, but we report no error. {described}"
        for issue in ours:
            assert LAYER in issue.message, f"the message does not name the layer: {issue.message}"
        # What each issue says Keras does is what the table (checked against Keras above) says.
        want = "build" if not case.ok else "runtime" if case.runtime_error else "stricter"
        verdicts = {i.keras for i in ours}
        assert verdicts == {want}, f"issue.keras {sorted(verdicts)}, the table says {want!r}. {described}"
        return
    assert not errors, f"Keras accepts this call but we report errors. {described}"
    assert report.shapes[LAYER] == k.shape, described
    if case.type != "Input":
        params = report.layer_params[LAYER]
        assert (params.trainable, params.non_trainable) == (k.trainable, k.non_trainable), described
        assert report.params.total == k.trainable + k.non_trainable


def run_on_data(case: Case, layer: Any) -> tuple[int, ...]:
    """Run the built Keras layer on zeros of the case's concrete shapes, the way ``predict`` and
    ``fit`` run it once they have seen two sizes: inside a ``tf.function`` traced for the case's
    symbolic shapes (``None`` dims stay unknown while tracing; eagerly when only the batch is
    unknown). Returns the output shape; raises what TensorFlow raises."""
    import tensorflow as tf

    dtype = case.dtype or "float32"
    ltype = catalog()[case.type]
    data = [_zeros(s, dtype) for s in case.concrete_shapes()]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # e.g. LayerNormalization(rms_scaling=True) is deprecated
        if all(d is not None for s in case.inputs for d in s[1:]):
            out = layer(*ltype.call_arguments(data))  # tracing would change only the batch size
        else:
            specs = [tf.TensorSpec(s, dtype) for s in case.inputs]
            fn = tf.function(lambda *xs: layer(*ltype.call_arguments(xs)), input_signature=specs)
            out = fn(*data)
    if isinstance(out, list | tuple):  # several outputs (Bidirectional merge_mode=None): each one's shape
        return tuple(tuple(o.shape) for o in out)  # type: ignore[return-value]
    return tuple(out.shape)


def _zeros(shape: tuple[int, ...], dtype: str) -> Any:
    """Zeros of ``dtype``; for strings, a tensor of the word "a" (numpy has no dtype "string")."""
    if dtype == "string":
        import tensorflow as tf

        return tf.fill(shape, "a")
    return np.zeros(shape, dtype=dtype)


def _fits(symbolic: tuple[Any, ...], concrete: tuple[Any, ...]) -> bool:
    if symbolic and isinstance(symbolic[0], tuple):  # several outputs: each fits its own
        return len(symbolic) == len(concrete) and all(_fits(s, c) for s, c in zip(symbolic, concrete))
    return len(symbolic) == len(concrete) and all(s is None or s == c for s, c in zip(symbolic, concrete))


RUNTIME = [c for c in CASES if c.ok and c.type != "Input"]


@pytest.mark.parametrize("case", [pytest.param(c, id=c.id) for c in RUNTIME if c.runtime_error])
def test_marked_runtime_failures_fail_on_data(keras_mod: Any, case: Case) -> None:
    """A case marked ``runtime_error`` builds symbolically, then fails when it runs on real data
    (or runs with another shape than Keras inferred)."""
    k = run_keras(keras_mod, case)
    assert k.error is None and k.layer is not None
    if case.cpu_only:
        # Whether TF's kernels run channels_first depends on the machine (CPU, oneDNN, GPU), so both
        # answers pass; when it runs, it must run with the shape Keras inferred.
        try:
            got = run_on_data(case, k.layer)
        except Exception:
            return
        assert _fits(k.shape or (), got), f"ran with shape {got}, Keras inferred {k.shape}"
        return
    try:
        got = run_on_data(case, k.layer)
    except Exception:  # TF raises several error types here: the marking holds
        return
    assert not _fits(k.shape or (), got), f"the layer ran fine on data of shapes {case.concrete_shapes()}"


def test_unmarked_cases_run_on_data(keras_mod: Any) -> None:
    """Every case Keras builds and the table does not mark ``runtime_error`` also runs on real data,
    with the output shape Keras inferred (its ``None`` dims filled in). One test for all the cases:
    it guards the table's markings, not our rules."""
    failures = []
    for case in RUNTIME:
        if case.runtime_error:
            continue
        k = run_keras(keras_mod, case)
        try:
            got = run_on_data(case, k.layer)
        except Exception as exc:
            failures.append(f"{case.id}: {type(exc).__name__}: {str(exc)[:300]}")
            continue
        want = k.shape or ()
        if not _fits(want, got):
            failures.append(f"{case.id}: ran with shape {got}, Keras inferred {want}")
    assert not failures, f"{len(failures)} cases fail on data:\n" + "\n".join(failures)


# --------------------------------------------------------------------------- the table itself

# Catalog types Keras never refuses whatever the config and inputs (Rescaling builds on any
# scale, even None or a string, and fails only on data).
NEVER_REFUSED: set[str] = {"Rescaling"}


def test_every_catalog_type_has_accepting_and_refusing_cases() -> None:
    table = by_type()
    missing = [t for t in catalog().types if t not in table]
    assert not missing, f"catalog types with no case: {missing}"
    unknown = [t for t in table if t not in catalog().types]
    assert not unknown, f"cases of types the catalog lacks: {unknown}"
    for name, cases in table.items():
        assert any(c.ok and not c.stricter for c in cases), f"{name} has no case Keras and we accept"
        if name not in NEVER_REFUSED:
            assert any(not c.ok for c in cases), f"{name} has no case Keras refuses"


def test_table_covers_the_grid() -> None:
    assert len(CASES) >= 300
    ids = [c.id for c in CASES]
    assert len(set(ids)) == len(ids)
    # Edge params the table must keep covering.
    conv1d = by_type()["Conv1D"]
    assert {c.config.get("padding", "valid") for c in conv1d} >= {"valid", "same", "causal"}
    assert any(c.config.get("data_format") == "channels_first" for c in conv1d)
    assert any(c.config.get("groups", 1) > 1 for c in conv1d)
    assert any(c.config.get("dilation_rate", 1) != 1 for c in conv1d)
    gru = by_type()["GRU"]
    assert any(c.config.get("reset_after") is False for c in gru)
    paddings = [c.config.get("padding") for c in by_type()["ZeroPadding2D"] if c.ok]
    assert any(isinstance(p, int) for p in paddings)  # the three forms of ZeroPadding2D
    assert any(isinstance(p, tuple) and isinstance(p[0], int) for p in paddings)
    assert any(isinstance(p, tuple) and isinstance(p[0], tuple) for p in paddings)
    concat_ranks = {(c.config.get("axis", -1), len(c.inputs[0])) for c in by_type()["Concatenate"] if c.ok}
    assert {(1, 2), (1, 3), (1, 4), (-1, 2), (-1, 3), (-1, 4)} <= concat_ranks
    # None in steps, rows, cols and channels.
    assert any(None in s[1:] for c in CASES for s in c.inputs)
    assert any(c.inputs and c.inputs[0][-1] is None and c.ok for c in CASES)


def test_ids_are_readable() -> None:
    ids = {c.id for c in CASES}
    assert "Conv1D-f8-k5-s2-same-(None,None,8)" in ids
    assert "Input-shape(None,)" in ids
    assert shape_text((None,)) == "(None,)"
