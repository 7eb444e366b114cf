"""Importing models that use the attention, Dot and activation layers: a transformer block
(MultiHeadAttention + LayerNormalization + Add), a recommender (Dot), calls on several tensors
(``mha(q, v)``, ``mha(query=q, value=v, key=k)``, ``softmax(x, mask)``), Keras 2 names renamed.
The ``keras`` tests compare with the model Keras builds from the same source."""

from __future__ import annotations

import json
import textwrap
from typing import Any

import pytest

from builder import validate
from builder.codegen import to_python
from builder.errors import GraphImportError
from builder.importers import import_keras_json, import_python

TRANSFORMER = """
import keras
from keras import layers

embed_dim, num_heads, ff_dim = 32, 2, 64
inputs = keras.Input(shape=(20, embed_dim))
attn = layers.MultiHeadAttention(num_heads=num_heads, key_dim=embed_dim)
x = attn(inputs, inputs)
x = layers.Dropout(0.1)(x)
x = layers.LayerNormalization(epsilon=1e-6)(layers.Add()([inputs, x]))
ff = layers.Dense(ff_dim, activation="relu")(x)
ff = layers.Dense(embed_dim)(ff)
x = layers.LayerNormalization(epsilon=1e-6)(layers.Add()([x, ff]))
x = layers.GlobalAveragePooling1D()(x)
x = layers.Dropout(0.1)(x)
outputs = layers.Dense(2, activation="softmax")(x)
model = keras.Model(inputs=inputs, outputs=outputs)
"""

RECOMMENDER = """
import keras
from keras import layers

user = keras.Input(shape=(1,), name="user", dtype="int32")
movie = keras.Input(shape=(1,), name="movie", dtype="int32")
u = layers.Flatten()(layers.Embedding(1000, 16, name="user_embedding")(user))
m = layers.Flatten()(layers.Embedding(500, 16, name="movie_embedding")(movie))
score = layers.Dot(axes=1, name="score")([u, m])
cosine = layers.dot([u, m], axes=1, normalize=True, name="cosine")
both = layers.Concatenate()([score, cosine])
out = layers.Dense(1, activation="sigmoid")(layers.LeakyReLU(negative_slope=0.1)(both))
model = keras.Model([user, movie], out)
"""

SEQUENTIAL = """
import keras
from keras import layers

model = keras.Sequential(
    [
        layers.InputLayer(shape=(10, 8)),
        layers.Masking(),
        layers.LeakyReLU(0.2),
        layers.PReLU(shared_axes=[1]),
        layers.GaussianNoise(0.1),
        layers.SpatialDropout1D(0.2),
        layers.EinsumDense("abc,cd->abd", output_shape=(None, 6), bias_axes="d"),
        layers.GroupNormalization(groups=3),
        layers.UnitNormalization(),
        layers.RMSNormalization(),
        layers.ELU(),
        layers.Softmax(),
        layers.Identity(),
        layers.GaussianDropout(0.1),
        layers.AlphaDropout(0.1),
        layers.ActivityRegularization(l2=0.01),
        layers.LSTM(4),
    ]
)
"""


def imp(src: str) -> Any:
    return import_python(textwrap.dedent(src))


def edges(result: Any) -> set[tuple[str, str, int]]:
    g = result.graph
    return {(g.node_label(e.source), g.node_label(e.target), e.port) for e in g.edges}


def test_transformer_block_imports_and_validates() -> None:
    r = imp(TRANSFORMER)
    g = r.graph
    report = validate(g)
    assert report.ok, report.errors
    mha = next(la for la in g.layers if la.type == "MultiHeadAttention")
    assert mha.config == {"num_heads": 2, "key_dim": 32}
    assert {("input_layer", "multi_head_attention", 0), ("input_layer", "multi_head_attention", 1)} <= edges(r)
    # query/key/value kernels (32, 2, 32) + biases (2, 32); output kernel (2, 32, 32) + bias (32,)
    assert report.layer_params[mha.id].total == 3 * (32 * 2 * 32 + 2 * 32) + 2 * 32 * 32 + 32
    assert report.shapes[mha.id] == (None, 20, 32)


def test_recommender_with_dot_class_and_helper() -> None:
    r = imp(RECOMMENDER)
    g = r.graph
    report = validate(g)
    assert report.ok, report.errors
    by_name = {la.name: la for la in g.layers}
    assert by_name["score"].type == by_name["cosine"].type == "Dot"
    assert by_name["score"].config == {"axes": 1}
    assert by_name["cosine"].config == {"axes": 1, "normalize": True}
    assert report.shapes["score"] == (None, 1)


def test_a_sequential_model_of_the_single_input_types() -> None:
    r = imp(SEQUENTIAL)
    g = r.graph
    assert [la.type for la in g.layers][:4] == ["Input", "Masking", "LeakyReLU", "PReLU"]
    assert [la.name for la in g.layers][2] == "leaky_re_lu"  # Keras 3's auto name
    by_type = {la.type: la for la in g.layers}
    assert by_type["LeakyReLU"].config == {"negative_slope": 0.2}
    assert by_type["EinsumDense"].config == {"equation": "abc,cd->abd", "output_shape": (None, 6), "bias_axes": "d"}
    report = validate(g)
    assert report.ok, report.errors
    assert report.layer_params[by_type["PReLU"].id].total == 8
    assert report.layer_params[by_type["EinsumDense"].id].total == 8 * 6 + 6


def test_dot_helper_defaults_to_the_last_axis_and_takes_axes_positionally() -> None:
    src = """
    import keras
    from keras import layers
    a = keras.Input((5, 8))
    b = keras.Input((7, 8))
    c = layers.dot([a, b])
    d = layers.dot([a, b], 2)
    model = keras.Model([a, b], [c, d])
    """
    g = imp(src).graph
    dots = [la for la in g.layers if la.type == "Dot"]
    assert [la.config for la in dots] == [{"axes": -1}, {"axes": 2}]
    assert validate(g).shapes[dots[0].id] == (None, 5, 7)


@pytest.mark.parametrize(
    "call",
    ["mha(q, v, k)", "mha(q, v, key=k)", "mha(query=q, value=v, key=k)", "mha(value=v, query=q, key=k)"],
)
def test_multi_head_attention_calls_map_to_ports(call: str) -> None:
    src = f"""
    import keras
    from keras import layers
    q = keras.Input((10, 16), name="q")
    v = keras.Input((12, 8), name="v")
    k = keras.Input((12, 16), name="k")
    mha = layers.MultiHeadAttention(num_heads=2, key_dim=4, name="mha")
    out = {call}
    model = keras.Model([q, v, k], out)
    """
    r = imp(src)
    assert edges(r) == {("q", "mha", 0), ("v", "mha", 1), ("k", "mha", 2)}
    assert validate(r.graph).ok


def test_call_arguments_that_change_no_shape_are_dropped_with_a_note() -> None:
    src = """
    import keras
    from keras import layers
    x = keras.Input((10, 16))
    y = layers.MultiHeadAttention(2, 8)(x, x, use_causal_mask=True, training=False, return_attention_scores=False)
    z = layers.Attention()([x, y], use_causal_mask=True)
    model = keras.Model(x, z)
    """
    r = imp(src)
    assert any("use_causal_mask=True was dropped" in w for w in r.warnings)
    assert validate(r.graph).ok


@pytest.mark.parametrize(
    ("call", "message"),
    [
        ("mha(q)", "without tensors|expected|needs"),
        ("mha(q, key=v)", "without `value`"),
        ("mha(q, v, v, v)", "at most 3 tensors"),
        ("mha(q, v, query=q)", "multiple values for argument 'query'"),
        ("mha(q, v, attention_mask=v)", "attention_mask"),
        ("mha(q, 3)", "must be a tensor"),
    ],
)
def test_bad_multi_head_attention_calls_are_refused(call: str, message: str) -> None:
    src = f"""
    import keras
    from keras import layers
    q = keras.Input((10, 16))
    v = keras.Input((12, 16))
    mha = layers.MultiHeadAttention(num_heads=2, key_dim=4)
    out = {call}
    model = keras.Model([q, v], out)
    """
    if call == "mha(q)":  # one tensor: imported, then the validator reports the missing value port
        missing = [i for i in validate(imp(src).graph).errors if i.code == "missing_input"]
        assert len(missing) == 1 and missing[0].port == 1
        assert "2 to 3 inputs (query, value, key)" in missing[0].message
        return
    with pytest.raises(GraphImportError, match=message):
        imp(src)


def test_softmax_takes_a_mask_as_its_second_port() -> None:
    src = """
    import keras
    from keras import layers
    x = keras.Input((4, 8), name="x")
    m = keras.Input((4, 8), name="m")
    a = layers.Softmax(name="a")(x, m)
    b = layers.Softmax(name="b")(x, mask=m)
    c = layers.Softmax(name="c")(x)
    model = keras.Model([x, m], [a, b, c])
    """
    r = imp(src)
    assert {("x", "a", 0), ("m", "a", 1), ("x", "b", 0), ("m", "b", 1), ("x", "c", 0)} == edges(r)
    assert validate(r.graph).ok


def test_leaky_relu_keras2_alpha_is_renamed() -> None:
    src = """
    import keras
    from keras import layers
    x = keras.Input((8,))
    y = layers.LeakyReLU(alpha=0.2)(x)
    z = layers.LeakyReLU(negative_slope=0.1)(y)
    model = keras.Model(x, z)
    """
    r = imp(src)
    leaky = [la for la in r.graph.layers if la.type == "LeakyReLU"]
    assert [la.config for la in leaky] == [{"negative_slope": 0.2}, {"negative_slope": 0.1}]
    assert any("`alpha` is `negative_slope` in Keras 3" in w for w in r.warnings)
    with pytest.raises(GraphImportError, match="both `alpha`"):
        imp(src.replace("alpha=0.2", "alpha=0.2, negative_slope=0.3"))


def test_keras2_json_leaky_relu_alpha_is_renamed() -> None:
    doc = {
        "class_name": "Functional",
        "config": {
            "name": "m",
            "layers": [
                {"class_name": "InputLayer", "name": "x", "config": {"batch_input_shape": [None, 8], "name": "x"}},
                {
                    "class_name": "LeakyReLU",
                    "name": "leaky",
                    "config": {"name": "leaky", "alpha": 0.25},
                    "inbound_nodes": [[["x", 0, 0, {}]]],
                },
            ],
            "input_layers": [["x", 0, 0]],
            "output_layers": [["leaky", 0, 0]],
        },
    }
    r = import_keras_json(json.dumps(doc))
    assert [la.config for la in r.graph.layers if la.type == "LeakyReLU"] == [{"negative_slope": 0.25}]
    assert any("renamed" in w for w in r.warnings)


def test_generated_code_calls_attention_layers_positionally() -> None:
    g = imp(TRANSFORMER).graph
    code = to_python(g)
    assert "layers.MultiHeadAttention(\n        num_heads=2,\n        key_dim=32," in code
    assert ")(input_layer, input_layer)" in code
    again = import_python(code).graph
    assert [(la.name, la.type, la.config) for la in again.layers] == [(la.name, la.type, la.config) for la in g.layers]
    assert validate(again).params == validate(g).params


# --------------------------------------------------------------------------- against Keras


def _keras_model(src: str) -> Any:
    namespace: dict[str, Any] = {}
    exec(compile(textwrap.dedent(src), "<fixture>", "exec"), namespace)  # our own fixture source
    return namespace["model"]


@pytest.mark.keras
@pytest.mark.parametrize(
    "src", [TRANSFORMER, RECOMMENDER, SEQUENTIAL], ids=["transformer", "recommender", "sequential"]
)
def test_imports_match_the_model_keras_builds(src: str) -> None:
    model = _keras_model(src)
    g = imp(src).graph
    report = validate(g)
    assert report.params.total == model.count_params()
    assert [report.shapes[o] for o in g.outputs] == [tuple(t.shape) for t in model.outputs]
    rebuilt = _keras_model(to_python(g) + "\nmodel = build_model()\n")
    assert rebuilt.count_params() == model.count_params()
    kinds = [[type(la).__name__ for la in m.layers if type(la).__name__ != "InputLayer"] for m in (rebuilt, model)]
    assert kinds[0] == kinds[1]


@pytest.mark.keras
def test_keras_json_of_multi_input_calls_round_trips() -> None:
    import keras
    from keras import layers

    q = keras.Input((10, 16), name="q")
    v = keras.Input((12, 16), name="v")
    a = layers.MultiHeadAttention(num_heads=2, key_dim=8, name="m1")(q, v)
    b = layers.GroupQueryAttention(8, 4, 2, name="m2")(query=q, value=v, key=v)
    c = layers.Softmax(name="sm")(a, b)
    d = layers.Dot(axes=-1, name="d")([a, c])
    e = layers.AdditiveAttention(name="add_att")([q, v, v])
    model = keras.Model([q, v], [d, e])
    r = import_keras_json(model.to_json())
    assert not r.warnings
    assert {("q", "m2", 0), ("v", "m2", 1), ("v", "m2", 2), ("m1", "sm", 0), ("m2", "sm", 1)} <= edges(r)
    report = validate(r.graph)
    assert report.ok, report.errors
    assert report.params.total == model.count_params()


def test_a_shared_attention_layer_round_trips_through_code() -> None:
    src = """
    import keras
    from keras import layers
    a = keras.Input((10, 16), name="a")
    b = keras.Input((12, 16), name="b")
    mha = layers.MultiHeadAttention(num_heads=2, key_dim=4, name="shared_attention")
    x = mha(a, b)
    y = mha(b, a, a)
    model = keras.Model([a, b], [x, y])
    """
    g = imp(src).graph
    code = to_python(g)
    assert "shared_attention(a, b)" in code and "shared_attention(b, a, a)" in code
    again = import_python(code)
    assert edges(again) == edges(imp(src))
    assert validate(again.graph).params == validate(g).params
