"""A shared ConvLSTM2D called again. Keras' RNN wrapper checks only the rank of later calls: another
number of frames works; other channels or another frame size also build symbolically, then predict
fails (the kernels, and the initial states the cell sized at build, do not fit). We refuse those two,
as we do for a shared LSTM on another feature size, and a later call on an undefined frame size (it
runs only on frames of the built size), as Keras refuses a first call on one."""

from __future__ import annotations

import pytest

from builder import validate
from builder.core.graph import Graph

FIRST = [4, 8, 8, 3]
# the second call's input shape, whether we accept it, whether Keras runs it on data (None: 8)
CALLS = [
    ([4, 8, 8, 3], True, True),
    ([None, 8, 8, 3], True, True),
    ([5, 8, 8, 3], True, True),  # another number of frames
    ([4, 8, None, 3], False, True),  # an undefined frame size: runs only on frames of the built size
    ([4, 8, 9, 3], False, False),  # another frame size: the states were sized at build
    ([4, 8, 8, 2], False, False),  # other channels: other kernels
]


def _shared(shape_b: list[int | None]) -> tuple[Graph, str]:
    """``clstm`` called on ``a``, then again on ``b`` (a shared layer)."""
    g, a = Graph().add("Input", {"shape": FIRST}, name="a")
    g, b = g.add("Input", {"shape": shape_b}, name="b")
    g, first = g.add("ConvLSTM2D", {"filters": 2, "kernel_size": 3, "padding": "same"}, inputs=[a], name="clstm")
    g, second = g.add_node(g.node_by_id[first].layer, inputs=[b])
    return g.set_outputs([first, second]), second


@pytest.mark.parametrize(("shape_b", "ok", "runs"), CALLS)
def test_a_later_call_must_fit_the_kernels_and_states(shape_b: list[int | None], ok: bool, runs: bool) -> None:
    g, second = _shared(shape_b)
    report = validate(g)
    assert report.ok is ok, report.errors
    if not ok:
        assert [i.node for i in report.errors] == [second]
        assert all("clstm" in i.message for i in report.errors)


def test_another_rank_is_refused() -> None:
    g, second = _shared([4, 8, 8])
    assert [(i.node, i.code) for i in validate(g).errors] == [(second, "rank_mismatch")]


@pytest.mark.keras
@pytest.mark.parametrize(("shape_b", "ok", "runs"), CALLS)
def test_keras_builds_every_call_and_runs_some(shape_b: list[int | None], ok: bool, runs: bool) -> None:
    import numpy as np

    from tests.fuzz.graphs import keras_build

    g, _ = _shared(shape_b)
    k = keras_build(g)
    assert k.error is None
    data = [np.zeros((2, *FIRST), "float32"), np.zeros((2, *[d or 8 for d in shape_b]), "float32")]
    try:
        k.model.predict(data, verbose=0)
        ran = True
    except Exception:  # noqa: BLE001 - TF raises several error types
        ran = False
    assert ran is runs
