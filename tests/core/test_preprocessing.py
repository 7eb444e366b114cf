"""Preprocessing layers without Keras: the new param kinds, dtypes through the graph, the
"call adapt() first" warnings, a few shape rules, the inspector's text forms and codegen."""

from __future__ import annotations

from typing import Any

import pytest

from builder import validate
from builder.codegen import HOIST_OVER, to_python
from builder.core import dtypes
from builder.core.catalog import Param, catalog, check_param
from builder.core.graph import Graph
from tests.helpers import chain
from ui import params as P

ACT = catalog().activations


def _param(type_name: str, name: str) -> Param:
    return catalog()[type_name].params[name]


# --------------------------------------------------------------------------- param kinds


@pytest.mark.parametrize(
    ("type_name", "name", "value", "ok"),
    [
        ("RandomRotation", "factor", 0.2, True),
        ("RandomRotation", "factor", (-0.2, 0.3), True),
        ("RandomRotation", "factor", [0.1], True),
        ("RandomRotation", "factor", 1.5, False),  # out of [-1, 1]
        ("RandomRotation", "factor", (0.3, -0.2), False),  # lower > upper
        ("RandomRotation", "factor", (0.1, 0.2, 0.3), False),
        ("RandomRotation", "factor", "0.2", False),
        ("RandomRotation", "factor", True, False),
        ("RandomZoom", "height_factor", -1.0, False),  # (-1, 1]: -1 excluded
        ("RandomZoom", "height_factor", 1.0, True),
        ("RandomBrightness", "value_range", (0, 255), True),
        ("RandomBrightness", "value_range", (1.0,), False),
        ("RandomBrightness", "value_range", 255, False),
        ("Normalization", "mean", 0.5, True),
        ("Normalization", "mean", (0.0, 1.0), True),
        ("Normalization", "mean", (), False),
        ("Normalization", "mean", ("a",), False),
        ("Normalization", "mean", float("nan"), False),
        ("StringLookup", "vocabulary", ("a", "b"), True),
        ("StringLookup", "vocabulary", "vocab/words.txt", True),  # a file path, read by Keras
        ("StringLookup", "vocabulary", ("a", "a"), False),
        ("StringLookup", "vocabulary", (), False),
        ("StringLookup", "vocabulary", (1, 2), False),
        ("StringLookup", "vocabulary", "", False),
        ("TextVectorization", "split", None, True),  # a choice that offers None
        ("TextVectorization", "split", "comma", False),
        ("TextVectorization", "standardize", None, True),
    ],
)
def test_new_param_kinds(type_name: str, name: str, value: Any, ok: bool) -> None:
    msg = check_param(_param(type_name, name), value, ACT)
    assert (msg is None) == ok, msg
    if msg:
        assert f"`{name}`" in msg


def test_duplicate_token_is_named() -> None:
    msg = check_param(_param("StringLookup", "vocabulary"), ("a", "b", "a"), ACT)
    assert msg is not None and "'a'" in msg


# --------------------------------------------------------------------------- the inspector's text forms


@pytest.mark.parametrize(
    ("type_name", "name", "text", "value"),
    [
        ("RandomRotation", "factor", "0.2", 0.2),
        ("RandomRotation", "factor", "-0.2, 0.3", (-0.2, 0.3)),
        ("RandomBrightness", "value_range", "(0, 255)", (0, 255)),
        ("Normalization", "mean", "1, 2.5, 3", (1, 2.5, 3)),
        ("StringLookup", "vocabulary", "cat, dog", ("cat", "dog")),
        ("StringLookup", "vocabulary", "cat\ndog, bird\n", ("cat", "dog, bird")),
        ("StringLookup", "vocabulary", '["a,b", "c"]', ("a,b", "c")),
        ("StringLookup", "vocabulary", "data/vocab.txt", "data/vocab.txt"),
    ],
)
def test_inspector_parses_the_new_kinds(type_name: str, name: str, text: str, value: Any) -> None:
    param = _param(type_name, name)
    assert param.kind in P.TEXT_KINDS
    assert P.parse_value(param, text) == value


@pytest.mark.parametrize(
    ("type_name", "name", "text"),
    [
        ("RandomRotation", "factor", "0.1, 0.2, 0.3"),
        ("RandomRotation", "factor", "abc"),
        ("RandomBrightness", "value_range", "255"),
        ("StringLookup", "vocabulary", '["a", 1]'),
        ("StringLookup", "vocabulary", "[not json"),
    ],
)
def test_inspector_refuses_bad_text(type_name: str, name: str, text: str) -> None:
    with pytest.raises(P.ParamInputError):
        P.parse_value(_param(type_name, name), text)


def test_a_vocabulary_round_trips_through_its_text() -> None:
    vocab = ("a,b", 'say "hi"', "naïve", "[UNK]")
    param = _param("StringLookup", "vocabulary")
    assert P.parse_value(param, P.format_tokens(vocab)) == vocab


# --------------------------------------------------------------------------- dtypes


def _codes(g: Graph, severity: str = "error") -> list[tuple[str, str, str]]:
    return [(i.node or "", i.code, i.keras) for i in validate(g).issues if i.severity == severity]


def test_strings_into_a_dense_layer_are_refused_as_a_runtime_failure() -> None:
    g = chain(("Dense", {"units": 3}), input_shape=(4,), dtype="string")
    report = validate(g)
    (issue,) = report.errors
    assert (issue.node, issue.port, issue.code, issue.keras) == ("dense", 0, "dtype_mismatch", "runtime")
    assert "dense" in issue.message and "string" in issue.message
    assert report.shapes["dense"] == (None, 3)  # the shape is still inferred, as Keras does


def test_a_string_input_through_lookup_into_embedding_is_clean() -> None:
    g = chain(
        ("Flatten", {}),
        ("StringLookup", {"vocabulary": ("a", "b")}),
        ("Embedding", {"input_dim": 4, "output_dim": 2}),
        input_shape=(3, 1),
        dtype="string",
    )
    report = validate(g)
    assert report.ok and not report.issues, report.issues
    order = report.order
    got, problems = dtypes.infer(g, catalog(), order, {la.id: dict(la.config) for la in g.layers})
    assert not problems
    assert got == {"inp": "string", "flatten": "string", "string_lookup": "int64", "embedding": "float32"}


@pytest.mark.parametrize(
    ("spec", "dtype", "bad"),
    [
        (("StringLookup", {"vocabulary": ("a",)}), "int64", True),
        (("StringLookup", {"vocabulary": ("a",)}), None, True),
        (("StringLookup", {"vocabulary": ("a",), "invert": True}), "int64", False),
        (("StringLookup", {"vocabulary": ("a",), "invert": True}), "string", True),
        (("TextVectorization", {"vocabulary": ("a",)}), "int32", True),
        (("IntegerLookup", {"vocabulary": (1, 2)}), "string", True),
        (("IntegerLookup", {"vocabulary": (1, 2)}), "int32", False),
        (("IntegerLookup", {"vocabulary": (1, 2)}), None, False),  # Keras casts floats
        (("Hashing", {"num_bins": 3}), "string", False),
        (("Hashing", {"num_bins": 3}), "int64", False),
        (("Rescaling", {"scale": 0.5}), "uint8", False),
        (("Rescaling", {"scale": 0.5}), "string", True),
        (("Discretization", {"bin_boundaries": (0.0,)}), "string", True),
        (("CategoryEncoding", {"num_tokens": 3}), "int32", False),
    ],
)
def test_which_dtypes_each_layer_runs_on(spec: tuple[str, dict[str, Any]], dtype: str | None, bad: bool) -> None:
    g = chain(spec, input_shape=(1,), dtype=dtype)
    assert ("dtype_mismatch" in [c for _, c, _ in _codes(g)]) is bad, validate(g).issues


def test_integer_pixels_into_random_contrast_are_refused() -> None:
    g = chain(("RandomContrast", {"factor": 0.2}), input_shape=(8, 8, 3), dtype="uint8")
    assert _codes(g) == [("random_contrast", "dtype_mismatch", "runtime")]
    ok = chain(
        ("Rescaling", {"scale": 1 / 255}), ("RandomContrast", {"factor": 0.2}), input_shape=(8, 8, 3), dtype="uint8"
    )
    assert validate(ok).ok


def test_inverted_lookup_gives_strings_that_a_dense_layer_refuses() -> None:
    g = chain(
        ("StringLookup", {"vocabulary": ("a", "b"), "invert": True}),
        ("Dense", {"units": 2}),
        input_shape=(4,),
        dtype="int64",
    )
    assert _codes(g) == [("dense", "dtype_mismatch", "runtime")]


def test_unknown_dtypes_never_raise_an_issue() -> None:
    # int -> Dense: Keras' output dtype is not tracked; IntegerLookup after it is not second-guessed
    g = chain(("Dense", {"units": 2}), ("IntegerLookup", {"vocabulary": (1, 2)}), input_shape=(4,), dtype="int32")
    assert not _codes(g)


# --------------------------------------------------------------------------- adapt() warnings


@pytest.mark.parametrize(
    ("spec", "dtype", "keras"),
    [
        (("StringLookup", {}), "string", "runtime"),
        (("IntegerLookup", {}), "int64", "runtime"),
        (("TextVectorization", {"output_sequence_length": 4}), "string", "runtime"),
        (("Discretization", {"num_bins": 4}), None, "runtime"),
        (("Normalization", {}), None, "stricter"),  # Keras runs it as the identity
    ],
)
def test_layers_that_need_adapt_warn(spec: tuple[str, dict[str, Any]], dtype: str | None, keras: str) -> None:
    g = chain(spec, input_shape=(1,), dtype=dtype)
    report = validate(g)
    assert report.ok
    (issue,) = report.warnings
    assert (issue.code, issue.severity, issue.keras) == ("needs_adapt", "warning", keras)
    assert "adapt(" in issue.message and spec[0] in issue.message


@pytest.mark.parametrize(
    "spec",
    [
        ("StringLookup", {"vocabulary": ("a",)}),
        ("Discretization", {"bin_boundaries": (0.0,)}),
        ("Normalization", {"mean": 0.0, "variance": 1.0}),
    ],
)
def test_layers_with_their_state_do_not_warn(spec: tuple[str, dict[str, Any]]) -> None:
    g = chain(spec, input_shape=(1,), dtype="string" if spec[0] == "StringLookup" else None)
    assert not validate(g).issues


def test_a_shared_lookup_warns_once() -> None:
    g, a = Graph(name="m").add("Input", {"shape": [2], "dtype": "string"}, name="a")
    g, b = g.add("Input", {"shape": [2], "dtype": "string"}, name="b")
    g, la = g.add("StringLookup", {}, name="lookup", inputs=[a])
    g, lb = g.add_node(g.node_by_id[la].layer, inputs=[b])
    g = g.set_outputs([la, lb])
    assert [i.node for i in validate(g).warnings if i.code == "needs_adapt"] == [la]


# --------------------------------------------------------------------------- shapes and weights


def test_text_vectorization_gives_a_fixed_sequence_of_ids() -> None:
    g = chain(
        ("TextVectorization", {"vocabulary": ("the", "cat"), "output_sequence_length": 12}),
        ("Embedding", {"input_dim": 4, "output_dim": 8}),
        input_shape=(1,),
        dtype="string",
    )
    report = validate(g)
    assert report.shapes["text_vectorization"] == (None, 12)
    assert report.shapes["embedding"] == (None, 12, 8)


@pytest.mark.parametrize(
    ("config", "shape"),
    [
        ({"output_mode": "one_hot"}, (None, 4, 4)),  # 3 tokens + 1 OOV index
        ({"output_mode": "multi_hot", "num_oov_indices": 0}, (None, 3)),
        ({"output_mode": "count", "mask_token": ""}, (None, 4)),  # the mask is not counted
        ({"output_mode": "multi_hot", "max_tokens": 10, "pad_to_max_tokens": True}, (None, 10)),
    ],
)
def test_string_lookup_output_modes_encode_to_the_vocabulary_size(config: dict[str, Any], shape: tuple) -> None:
    g = chain(("StringLookup", {"vocabulary": ("a", "b", "c"), **config}), input_shape=(4,), dtype="string")
    assert validate(g).shapes["string_lookup"] == shape


def test_normalization_holds_non_trainable_statistics() -> None:
    report = validate(chain(("Normalization", {}), input_shape=(3, 5)))
    assert (report.params.trainable, report.params.non_trainable) == (0, 5 + 5 + 1)
    given = validate(chain(("Normalization", {"mean": 0.0, "variance": 1.0}), input_shape=(3, 5)))
    assert given.params.total == 0


def test_a_rank_3_image_is_refused_on_purpose() -> None:
    report = validate(chain(("RandomFlip", {}), input_shape=(28, 28)))
    (issue,) = report.errors
    assert (issue.code, issue.keras) == ("rank_mismatch", "stricter")
    assert "shape=(height, width, 1)" in issue.message


# --------------------------------------------------------------------------- codegen


def test_long_vocabularies_become_module_constants() -> None:
    vocab = tuple(f"w{i}" for i in range(HOIST_OVER + 1))
    code = to_python(chain(("StringLookup", {"vocabulary": vocab}), input_shape=(2,), dtype="string"))
    assert "STRING_LOOKUP_VOCABULARY = [\n" in code
    assert "vocabulary=STRING_LOOKUP_VOCABULARY" in code
    assert code.index("STRING_LOOKUP_VOCABULARY = [") < code.index("def build_model")
    for token in vocab:
        assert f'    "{token}",\n' in code
    short = to_python(chain(("StringLookup", {"vocabulary": ("a", "b")}), input_shape=(2,), dtype="string"))
    assert 'vocabulary=("a", "b")' in short and "VOCABULARY =" not in short


@pytest.mark.parametrize("stats", [{}, {"mean": 0.5, "variance": 2.0}])
def test_a_shared_normalization_is_built_once(stats: dict[str, Any]) -> None:
    """Found by the fuzzer: Keras builds on the first call; a later call on an undefined kept axis passes."""
    g, a = Graph(name="m").add("Input", {"shape": [3]}, name="a")
    g, b = g.add("Input", {"shape": [None]}, name="b")
    g, c = g.add("Input", {"shape": [2, None, None]}, name="c")  # another rank: Keras does not check it
    g, n1 = g.add("Normalization", stats, name="norm", inputs=[a])
    g, n3 = g.add_node(g.node_by_id[n1].layer, inputs=[c])
    g, n2 = g.add_node(g.node_by_id[n1].layer, inputs=[b])
    report = validate(g.set_outputs([n1, n2, n3]))
    assert not report.errors, report.errors
    assert report.shapes[n2] == (None, None)  # the output is the input: its None stays
    assert report.shapes[n3] == (None, 2, None, None)
    assert report.params.non_trainable == (0 if stats else 3 + 3 + 1)


def test_a_vocabulary_file_is_never_opened_and_says_so() -> None:
    g = chain(
        ("StringLookup", {"vocabulary": "data/words.txt", "output_mode": "multi_hot"}), input_shape=(3,), dtype="string"
    )
    report = validate(g)
    assert report.ok and report.shapes["string_lookup"] == (None, None)  # the width is in the file
    (issue,) = report.warnings
    assert issue.code == "needs_adapt" and "data/words.txt" in issue.message and "never opens" in issue.message
