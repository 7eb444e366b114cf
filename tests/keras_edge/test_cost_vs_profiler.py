"""The cost model's FLOPs against TensorFlow's profiler (``tests/tf_profiler.py``).

One tiny model per layer type and per option that changes the count (table below), every
template, and random valid graphs of ``tests.fuzz_graphs``: ``cost(graph).flops`` must equal the
profiler's total exactly. Where our count is unknown (an undefined length), the profiler counts
0 for the ops it cannot size: the sum of the nodes we do count must then equal its total.
"""

from __future__ import annotations

import os
import random
from pathlib import Path
from typing import Any

import pytest

from builder import load_graph, validate
from builder.core.cost import cost
from builder.core.graph import Graph
from tests.fuzz.graphs import random_graph

pytestmark = pytest.mark.keras

TEMPLATES = sorted((Path(__file__).resolve().parents[2] / "builder" / "templates").glob("*.json"))


@pytest.fixture(scope="module", autouse=True)
def _keras() -> None:
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    import keras  # noqa: F401


def _profile(graph: Graph) -> int:
    from builder.keras_edge.build import build_model
    from tests.tf_profiler import profiler_flops

    return profiler_flops(build_model(graph))


def _one(shape: list[int | None], type_name: str, config: dict[str, Any], dtype: str | None = None) -> Graph:
    cfg: dict[str, Any] = {"shape": shape}
    if dtype:
        cfg["dtype"] = dtype
    g, x = Graph().add("Input", cfg, name="x")
    g, y = g.add(type_name, config, inputs=[x])
    return g.set_outputs([y])


def _merge(type_name: str, shapes: list[list[int]], config: dict[str, Any] | None = None) -> Graph:
    g = Graph()
    ids = []
    for i, s in enumerate(shapes):
        g, x = g.add("Input", {"shape": s}, name=f"x{i}")
        ids.append(x)
    g, y = g.add(type_name, config or {}, inputs=ids)
    return g.set_outputs([y])


def _chain(shape: list[int], dtype: str, *layers: tuple[str, dict[str, Any]]) -> Graph:
    g, x = Graph().add("Input", {"shape": shape, "dtype": dtype}, name="x")
    for type_name, config in layers:
        g, x = g.add(type_name, config, inputs=[x])
    return g.set_outputs([x])


MASK = ("Embedding", {"input_dim": 20, "output_dim": 6, "mask_zero": True})

# id -> graph: every catalog type, and each option whose count differs.
TABLE: dict[str, Graph] = {
    "Dense": _one([8], "Dense", {"units": 4}),
    "Dense/rank3,no bias": _one([5, 8], "Dense", {"units": 4, "use_bias": False}),
    "Dense/softmax": _one([8], "Dense", {"units": 4, "activation": "softmax"}),
    "Dense/gelu": _one([3, 8], "Dense", {"units": 4, "activation": "gelu"}),
    "Embedding": _one([3, 5], "Embedding", {"input_dim": 10, "output_dim": 4}, dtype="int32"),
    "LSTM": _one([5, 8], "LSTM", {"units": 4}),
    "LSTM/acts,no bias": _one(
        [7, 6], "LSTM", {"units": 3, "activation": "gelu", "recurrent_activation": "hard_sigmoid", "use_bias": False}
    ),
    "LSTM/unroll,seq": _one([7, 6], "LSTM", {"units": 3, "unroll": True, "return_sequences": True}),
    "GRU": _one([5, 8], "GRU", {"units": 4}),
    "GRU/no reset_after,no bias": _one([5, 8], "GRU", {"units": 4, "reset_after": False, "use_bias": False}),
    "GRU/unroll": _one([7, 6], "GRU", {"units": 3, "unroll": True}),
    "SimpleRNN": _one([5, 8], "SimpleRNN", {"units": 4, "go_backwards": True}),
    "SimpleRNN/unroll,no bias": _one([7, 6], "SimpleRNN", {"units": 3, "unroll": True, "use_bias": False}),
    "masked LSTM": _chain([7], "int32", MASK, ("LSTM", {"units": 3})),
    "masked GAP1D": _chain([7], "int32", MASK, ("GlobalAveragePooling1D", {})),
    "Dropout": _one([8], "Dropout", {"rate": 0.5}),
    "Flatten": _one([2, 4], "Flatten", {}),
    "Reshape": _one([8], "Reshape", {"target_shape": [2, 4]}),
    "Activation/softmax": _one([3, 8], "Activation", {"activation": "softmax"}),
    "Activation/sparsemax": _one([16], "Activation", {"activation": "sparsemax"}),
    "Activation/hard_swish": _one([8], "Activation", {"activation": "hard_swish"}),
    "BatchNormalization": _one([3, 16], "BatchNormalization", {}),
    "BatchNormalization/axis1,no scale": _one([4, 8], "BatchNormalization", {"axis": 1, "scale": False}),
    "LayerNormalization": _one([3, 16], "LayerNormalization", {}),
    "LayerNormalization/center only": _one([3, 16], "LayerNormalization", {"scale": False}),
    "LayerNormalization/rms,axis1": _one([4, 8], "LayerNormalization", {"rms_scaling": True, "axis": 1}),
    "Concatenate": _merge("Concatenate", [[5, 8], [2, 8]], {"axis": 1}),
    "Add/broadcast": _merge("Add", [[5, 8], [1, 8], [5, 1]]),
    "Multiply": _merge("Multiply", [[8], [8]]),
    "Average": _merge("Average", [[5, 8], [1, 8]]),
    "Maximum": _merge("Maximum", [[8], [8], [8]]),
    "Minimum": _merge("Minimum", [[8], [8]]),
    "Subtract": _merge("Subtract", [[8], [8]]),
    "Conv1D": _one([20, 3], "Conv1D", {"filters": 4, "kernel_size": 3, "strides": 2, "padding": "same"}),
    "Conv1D/causal,dilated": _one(
        [20, 3], "Conv1D", {"filters": 4, "kernel_size": 3, "padding": "causal", "dilation_rate": 2}
    ),
    "Conv2D": _one([6, 6, 3], "Conv2D", {"filters": 4, "kernel_size": 3, "activation": "silu"}),
    "Conv2D/dilated same": _one(
        [9, 9, 3], "Conv2D", {"filters": 4, "kernel_size": 3, "dilation_rate": 2, "padding": "same"}
    ),
    "Conv2D/grouped": _one([6, 6, 4], "Conv2D", {"filters": 4, "kernel_size": 3, "groups": 2}),
    "DepthwiseConv2D": _one([9, 9, 3], "DepthwiseConv2D", {"kernel_size": 3, "strides": 2, "padding": "same"}),
    "DepthwiseConv2D/dilated": _one(
        [9, 9, 3], "DepthwiseConv2D", {"kernel_size": 3, "dilation_rate": 2, "depth_multiplier": 2}
    ),
    "MaxPooling1D": _one([10, 3], "MaxPooling1D", {}),
    "MaxPooling2D": _one([9, 9, 3], "MaxPooling2D", {"padding": "same"}),
    "AveragePooling1D": _one([9, 3], "AveragePooling1D", {"pool_size": 2, "strides": 1, "padding": "same"}),
    "AveragePooling2D": _one([9, 9, 3], "AveragePooling2D", {"pool_size": 3, "strides": 2}),
    "GlobalMaxPooling1D": _one([10, 3], "GlobalMaxPooling1D", {}),
    "GlobalMaxPooling2D": _one([6, 6, 3], "GlobalMaxPooling2D", {"keepdims": True}),
    "GlobalAveragePooling1D": _one([10, 3], "GlobalAveragePooling1D", {}),
    "GlobalAveragePooling2D": _one([6, 6, 3], "GlobalAveragePooling2D", {}),
    "ZeroPadding2D": _one([6, 6, 3], "ZeroPadding2D", {}),
    "UpSampling2D": _one([6, 6, 3], "UpSampling2D", {"size": 3}),
    "UpSampling2D/bilinear": _one([6, 6, 3], "UpSampling2D", {"interpolation": "bilinear"}),
    "ReLU": _one([16], "ReLU", {}),
    "ReLU/all options": _one([16], "ReLU", {"negative_slope": 0.2, "max_value": 2.0, "threshold": 0.5}),
    "ReLU/relu6,slope": _one([16], "ReLU", {"negative_slope": 0.2, "max_value": 6.0}),
    "Bidirectional": _one([5, 8], "Bidirectional", {"layer": {"type": "LSTM", "config": {"units": 4}}}),
    "Bidirectional/sum,seq": _one(
        [5, 8],
        "Bidirectional",
        {"layer": {"type": "GRU", "config": {"units": 4, "return_sequences": True}}, "merge_mode": "sum"},
    ),
    "Bidirectional/ave": _one(
        [5, 8], "Bidirectional", {"layer": {"type": "SimpleRNN", "config": {"units": 4}}, "merge_mode": "ave"}
    ),
    "Bidirectional/mul": _one(
        [5, 8], "Bidirectional", {"layer": {"type": "SimpleRNN", "config": {"units": 4}}, "merge_mode": "mul"}
    ),
    "TimeDistributed/Dense": _one([5, 8], "TimeDistributed", {"layer": {"type": "Dense", "config": {"units": 4}}}),
    "TimeDistributed/Conv2D": _one(
        [3, 6, 6, 2], "TimeDistributed", {"layer": {"type": "Conv2D", "config": {"filters": 4, "kernel_size": 3}}}
    ),
    "SpectralNormalization": _one([8], "SpectralNormalization", {"layer": {"type": "Dense", "config": {"units": 4}}}),
    "Conv3D": _one([5, 5, 5, 3], "Conv3D", {"filters": 4, "kernel_size": 3, "activation": "gelu"}),
    "Conv3D/dilated": _one([7, 7, 7, 1], "Conv3D", {"filters": 2, "kernel_size": 3, "dilation_rate": 2}),
    "Conv3D/dilated same": _one(
        [7, 7, 7, 1], "Conv3D", {"filters": 2, "kernel_size": 3, "dilation_rate": 2, "padding": "same"}
    ),
    "DepthwiseConv1D": _one([10, 3], "DepthwiseConv1D", {"kernel_size": 3, "depth_multiplier": 2}),
    "DepthwiseConv1D/dilated same": _one(
        [11, 2], "DepthwiseConv1D", {"kernel_size": 3, "dilation_rate": 2, "padding": "same"}
    ),
    "DepthwiseConv1D/dilated 3": _one([11, 2], "DepthwiseConv1D", {"kernel_size": 3, "dilation_rate": 3}),
    "SeparableConv1D": _one([10, 3], "SeparableConv1D", {"filters": 4, "kernel_size": 3}),
    "SeparableConv1D/dilated same": _one(
        [11, 2], "SeparableConv1D", {"filters": 3, "kernel_size": 3, "dilation_rate": 2, "padding": "same"}
    ),
    "SeparableConv2D": _one([6, 6, 3], "SeparableConv2D", {"filters": 4, "kernel_size": 3, "depth_multiplier": 2}),
    "SeparableConv2D/strided,no bias": _one(
        [9, 9, 3],
        "SeparableConv2D",
        {"filters": 4, "kernel_size": 3, "strides": 2, "padding": "same", "use_bias": False},
    ),
    "SeparableConv2D/dilated": _one([7, 7, 2], "SeparableConv2D", {"filters": 3, "kernel_size": 3, "dilation_rate": 2}),
    "MaxPooling3D": _one([6, 6, 6, 2], "MaxPooling3D", {}),
    "AveragePooling3D": _one([6, 6, 6, 2], "AveragePooling3D", {"pool_size": 3, "strides": 1, "padding": "same"}),
    "GlobalMaxPooling3D": _one([4, 4, 4, 2], "GlobalMaxPooling3D", {}),
    "GlobalAveragePooling3D": _one([4, 4, 4, 2], "GlobalAveragePooling3D", {"keepdims": True}),
    "Cropping1D": _one([10, 3], "Cropping1D", {}),
    "Cropping2D": _one([6, 6, 3], "Cropping2D", {"cropping": ((1, 0), (2, 1))}),
    "Cropping3D": _one([5, 5, 5, 2], "Cropping3D", {}),
    "ZeroPadding1D": _one([10, 3], "ZeroPadding1D", {"padding": (1, 2)}),
    "ZeroPadding3D": _one([4, 4, 4, 2], "ZeroPadding3D", {}),
    "UpSampling1D": _one([10, 3], "UpSampling1D", {"size": 3}),
    "UpSampling3D": _one([3, 3, 3, 2], "UpSampling3D", {"size": (1, 2, 3)}),
    "Permute": _one([4, 5, 2], "Permute", {"dims": (3, 1, 2)}),
    "RepeatVector": _one([8], "RepeatVector", {"n": 3}),
    "EinsumDense": _one([8], "EinsumDense", {"equation": "ab,bc->ac", "output_shape": 4}),
    "EinsumDense/3d,bias,relu": _one(
        [5, 8],
        "EinsumDense",
        {"equation": "abc,cde->abde", "output_shape": [5, 2, 4], "bias_axes": "de", "activation": "gelu"},
    ),
    "EinsumDense/ellipsis": _one([4, 6], "EinsumDense", {"equation": "...b,bc->...c", "output_shape": 5}),
    "EinsumDense/ellipsis,bias": _one(
        [3, 3, 6], "EinsumDense", {"equation": "...b,bc->...c", "output_shape": 5, "bias_axes": "c"}
    ),
    "Identity": _one([16], "Identity", {}),
    "Masking": _one([3, 5], "Masking", {"mask_value": 1.0}),
    "Masking/Dense": _chain([7, 3], "float32", ("Masking", {}), ("PReLU", {}), ("Dense", {"units": 3})),
    "Dot": _merge("Dot", [[8], [8]], {"axes": 1}),
    "Dot/rank3": _merge("Dot", [[5, 8], [7, 8]], {"axes": 2}),
    "Dot/axes1,1": _merge("Dot", [[5, 8], [5, 3]], {"axes": [1, 1]}),
    "LeakyReLU": _one([16], "LeakyReLU", {"negative_slope": 0.1}),
    "PReLU": _one([16], "PReLU", {}),
    "PReLU/shared": _one([4, 3, 8], "PReLU", {"shared_axes": [1, 2]}),
    "ELU": _one([16], "ELU", {}),
    "ELU/alpha": _one([3, 4], "ELU", {"alpha": 2.0}),
    "Softmax": _one([3, 8], "Softmax", {}),
    "Softmax/mask": _merge("Softmax", [[3, 8], [3, 8]]),
    "GroupNormalization": _one([4, 4, 8], "GroupNormalization", {"groups": 4}),
    "GroupNormalization/instance": _one([3, 10], "GroupNormalization", {"groups": -1}),
    "GroupNormalization/5 groups": _one([3, 10], "GroupNormalization", {"groups": 5}),
    "UnitNormalization": _one([3, 4, 5], "UnitNormalization", {}),
    "RMSNormalization": _one([6, 5], "RMSNormalization", {}),
    "SpatialDropout1D": _one([4, 8], "SpatialDropout1D", {"rate": 0.2}),
    "SpatialDropout2D": _one([4, 4, 8], "SpatialDropout2D", {"rate": 0.2}),
    "SpatialDropout3D": _one([2, 4, 4, 8], "SpatialDropout3D", {"rate": 0.2}),
    "GaussianNoise": _one([16], "GaussianNoise", {"stddev": 0.1}),
    "GaussianDropout": _one([16], "GaussianDropout", {"rate": 0.1}),
    "AlphaDropout": _one([16], "AlphaDropout", {"rate": 0.1}),
    "ActivityRegularization": _one([16], "ActivityRegularization", {"l1": 0.01}),
    "Attention": _merge("Attention", [[5, 8], [7, 8]]),
    "Attention/scale,key": _merge("Attention", [[5, 8], [7, 6], [7, 8]], {"use_scale": True}),
    "Attention/concat": _merge("Attention", [[5, 8], [7, 8]], {"score_mode": "concat"}),
    "Attention/rank4": _merge("Attention", [[2, 5, 8], [2, 7, 8]]),
    "AdditiveAttention": _merge("AdditiveAttention", [[5, 8], [7, 8]]),
    "AdditiveAttention/no scale,key": _merge("AdditiveAttention", [[4, 6], [3, 5], [3, 6]], {"use_scale": False}),
}


def test_the_table_covers_the_catalog() -> None:
    """Every type with a FLOP rule is in the table; a type without one reports unknown FLOPs."""
    from builder.core.catalog import catalog
    from builder.core.cost import FLOP_RULES

    used = {la.type for g in TABLE.values() for la in g.layers}
    assert set(FLOP_RULES) <= set(catalog().types)
    assert used == set(FLOP_RULES)


@pytest.mark.parametrize(
    ("type_name", "shape"),
    [("Conv2DTranspose", [4, 4, 3]), ("ConvLSTM1D", [3, 6, 2]), ("AdaptiveMaxPooling2D", [6, 6, 2])],
)
def test_a_type_without_a_flop_rule_reports_unknown(type_name: str, shape: list[int]) -> None:
    from builder.core.catalog import catalog

    graph = _one(shape, type_name, catalog()[type_name].starter)
    assert validate(graph).ok
    c = cost(graph)
    assert c.flops is None
    assert c.per_node[graph.outputs[0]].flops is None
    from builder.core.cost import FLOP_RULES, UNCOUNTED

    used = {la.type for g in TABLE.values() for la in g.layers}
    assert used == set(FLOP_RULES)
    assert set(FLOP_RULES) | UNCOUNTED == set(catalog().types)
    assert not set(FLOP_RULES) & UNCOUNTED


@pytest.mark.parametrize("case", list(TABLE))
def test_layer_flops_match_the_profiler(case: str) -> None:
    graph = TABLE[case]
    assert validate(graph).ok, case
    ours = cost(graph).flops
    assert ours is not None
    assert ours == _profile(graph)


@pytest.mark.parametrize("path", TEMPLATES, ids=lambda p: p.stem)
def test_template_flops_match_the_profiler(path: Path) -> None:
    graph = load_graph(path)
    c = cost(graph)
    theirs = _profile(graph)
    if c.flops is not None:
        assert c.flops == theirs
    else:
        # An undefined length: the profiler counts 0 for what it cannot size; so do we (None).
        assert sum(c.per_node[n].flops or 0 for n in c.live) == theirs


def test_a_mask_from_masking_leaves_its_readers_uncounted() -> None:
    # The profiler counts Masking's any(x != mask_value) (features - 1 per step) only where a layer
    # reads the mask: the reader's FLOPs are unknown, and the nodes we count sum to less.
    graph = _chain([7, 3], "float32", ("Masking", {}), ("PReLU", {}), ("LSTM", {"units": 3}))
    c = cost(graph)
    lstm = next(n for n in c.per_node if graph.layer_of(n).type == "LSTM")
    assert c.flops is None and c.per_node[lstm].flops is None
    assert sum(x.flops or 0 for x in c.per_node.values()) < _profile(graph)


def test_random_graphs_match_the_profiler() -> None:
    rng = random.Random(1414)
    checked = 0
    for _ in range(400):
        graph = random_graph(rng, max_nodes=6)
        report = validate(graph)
        if not report.ok or any(la.type == "Embedding" and la.config.get("mask_zero") for la in graph.layers):
            continue  # masks are checked in the table only
        c = cost(graph, report)
        if c.flops is None:
            continue
        try:
            theirs = _profile(graph)
        except Exception:  # noqa: BLE001  (a graph Keras builds but cannot trace: not ours to count)
            continue
        assert c.flops == theirs, graph.to_json(indent=None)
        checked += 1
        if checked == 25:
            break
    assert checked >= 15
