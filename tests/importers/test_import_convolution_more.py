"""The convolution, pooling and reshaping types added for issue 11 through the importers and code
export: Python source in the style of keras-io (a Conv2DTranspose decoder, an Xception-style
SeparableConv2D block, a U-Net skip with Cropping2D, a ConvLSTM2D next-frame model, a seq2seq
RepeatVector), with Keras' aliases and positional arguments; and graph -> Python -> graph."""

from __future__ import annotations

import os
import textwrap
from typing import Any

import pytest

from builder import validate
from builder.codegen import to_python
from builder.core.graph import Graph
from builder.importers import import_python

DECODER = """
import keras
from keras import layers

latent = keras.Input(shape=(16,))
x = layers.Dense(7 * 7 * 32, activation="relu")(latent)
x = layers.Reshape((7, 7, 32))(x)
x = layers.Conv2DTranspose(32, 3, activation="relu", strides=2, padding="same")(x)
x = layers.Convolution2DTranspose(16, (3, 3), 2, "same", activation="relu")(x)
out = layers.Conv2DTranspose(1, 3, activation="sigmoid", padding="same")(x)
decoder = keras.Model(latent, out, name="decoder")
"""

XCEPTION = """
from tensorflow import keras
from tensorflow.keras import layers

inputs = keras.Input(shape=(32, 32, 3))
x = layers.Conv2D(32, 3, strides=2, padding="same")(inputs)
previous = x
x = layers.SeparableConv2D(64, 3, padding="same")(x)
x = layers.SeparableConvolution2D(64, 3, padding="same", depth_multiplier=2)(x)
x = layers.MaxPool2D(3, strides=2, padding="same")(x)
residual = layers.Conv2D(64, 1, strides=2, padding="same")(previous)
x = layers.add([x, residual])
x = layers.SeparableConv1D(8, 3)(layers.Reshape((8 * 8, 64))(x))
x = layers.DepthwiseConv1D(3, depth_multiplier=2)(x)
outputs = layers.GlobalAveragePooling1D()(x)
model = keras.Model(inputs, outputs)
"""

UNET_3D = """
import keras
from keras import layers

inp = keras.Input((20, 20, 20, 2))
c1 = layers.Convolution3D(4, 3, activation="relu")(inp)
p1 = layers.MaxPool3D((2, 2, 2))(c1)
c2 = layers.Conv3D(8, 3, padding="same")(p1)
u1 = layers.Conv3DTranspose(4, 2, strides=2)(c2)
skip = layers.Cropping3D(((0, 0), (0, 0), (0, 0)))(c1)
m = layers.concatenate([u1, skip])
m = layers.ZeroPadding3D(1)(m)
m = layers.UpSampling3D((1, 1, 2))(m)
m = layers.AveragePooling3D(2)(m)
head = layers.GlobalMaxPool3D()(m)
img = keras.Input((28, 28, 1))
c = layers.Cropping2D(((2, 2), (2, 2)))(img)
head2 = layers.GlobalAvgPool2D()(layers.AdaptiveAveragePooling2D((3, 3))(c))
model = keras.Model([inp, img], [head, head2])
"""

SEQUENCES = """
import keras
from keras import layers

frames = keras.Input(shape=(None, 16, 16, 1))
x = layers.ConvLSTM2D(8, (3, 3), padding="same", return_sequences=True, activation="relu")(frames)
x = layers.ConvLSTM2D(8, 3, padding="same")(x)
x = layers.Conv2D(1, 3, activation="sigmoid", padding="same")(x)
seq = keras.Input(shape=(10, 4))
e = layers.LSTM(16)(seq)
d = layers.RepeatVector(5)(e)
d = layers.Permute((2, 1))(d)
d = layers.ZeroPadding1D((1, 2))(d)
d = layers.Cropping1D(1)(d)
d = layers.UpSampling1D(2)(d)
d = layers.Conv1DTranspose(4, 3, 2, "same")(d)
d = layers.ConvLSTM1D(2, 3)(layers.Reshape((2, 34, 4))(d))
model = keras.Model([frames, seq], [x, d])
"""

SOURCES = {"decoder": DECODER, "xception": XCEPTION, "unet_3d": UNET_3D, "sequences": SEQUENCES}


def _types(graph: Graph) -> list[str]:
    return [la.type for la in graph.layers]


def test_the_decoder_imports_with_aliases_and_positional_args() -> None:
    result = import_python(textwrap.dedent(DECODER))
    g = result.graph
    transposes = [la for la in g.layers if la.type == "Conv2DTranspose"]
    assert len(transposes) == 3
    assert transposes[1].config["filters"] == 16
    assert transposes[1].config["strides"] == 2 and transposes[1].config["padding"] == "same"
    report = validate(g)
    assert report.ok, report.errors
    assert report.shapes[g.outputs[0]] == (None, 28, 28, 1)


@pytest.mark.parametrize("name", list(SOURCES))
def test_keras_io_style_sources_import_and_validate(name: str) -> None:
    result = import_python(textwrap.dedent(SOURCES[name]))
    report = validate(result.graph)
    assert report.ok, report.errors
    assert report.params.total > 0


def test_the_3d_unet_and_sequence_shapes() -> None:
    g = import_python(textwrap.dedent(UNET_3D)).graph
    report = validate(g)
    assert {"Conv3D", "MaxPooling3D", "Conv3DTranspose", "Cropping3D", "ZeroPadding3D", "UpSampling3D"} <= set(
        _types(g)
    )
    assert [report.shapes[o] for o in g.outputs] == [(None, 8), (None, 1)]
    g = import_python(textwrap.dedent(SEQUENCES)).graph
    report = validate(g)
    assert [report.shapes[o] for o in g.outputs] == [(None, 16, 16, 1), (None, 32, 2)]


def test_python_export_then_import_gives_the_same_layers() -> None:
    for src in SOURCES.values():
        g = import_python(textwrap.dedent(src)).graph
        back = import_python(to_python(g)).graph
        assert [(la.name, la.type) for la in back.layers] == [(la.name, la.type) for la in g.layers]
        assert validate(back).params == validate(g).params


@pytest.mark.keras
@pytest.mark.parametrize("name", list(SOURCES))
def test_exported_python_and_the_compiled_model_agree_with_keras(name: str) -> None:
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    import keras

    from builder.keras_edge.build import build_model

    g = import_python(textwrap.dedent(SOURCES[name])).graph
    keras.backend.clear_session()
    ours = build_model(g)
    namespace: dict[str, Any] = {}
    exec(compile(to_python(g), "<generated>", "exec"), namespace)  # our own generated code
    theirs = namespace["build_model"]()
    source: dict[str, Any] = {}
    exec(
        compile(
            textwrap.dedent(SOURCES[name])
            .replace("from tensorflow import keras", "import keras")
            .replace("from tensorflow.keras import layers", "from keras import layers"),
            "<keras-io>",
            "exec",
        ),
        source,
    )  # fixture
    original = source["model"] if "model" in source else source["decoder"]
    total = validate(g).params.total
    assert theirs.count_params() == ours.count_params() == original.count_params() == total
    assert [tuple(o.shape) for o in theirs.outputs] == [tuple(o.shape) for o in original.outputs]
