"""Catalog fields for layers called on several tensors (``call_ports``), Keras 2 renamed arguments
(``renamed``), arity ranges, and the ``axes`` / ``dims`` param kinds (pure; no Keras)."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from builder.core.catalog import Catalog, Param, catalog, check_param, consistency_problems, load_document
from ui import params as P


def test_call_ports_and_call_arguments() -> None:
    cat = catalog()
    mha, add, dense, att = cat["MultiHeadAttention"], cat["Add"], cat["Dense"], cat["Attention"]
    assert mha.call_ports == ("query", "value", "key") and not mha.takes_list
    assert (mha.min_inputs, mha.max_inputs) == (2, 3)
    assert mha.call_arguments(["q", "v"]) == ("q", "v")
    assert mha.call_arguments(["q", "v", "k"]) == ("q", "v", "k")
    assert att.takes_list and att.call_arguments(["q", "v"]) == (["q", "v"],)
    assert add.call_arguments(["a", "b"]) == (["a", "b"],)
    assert dense.call_arguments(["x"]) == ("x",)
    assert cat["Softmax"].call_ports == ("inputs", "mask")
    assert cat["Softmax"].call_arguments(["x"]) == ("x",)


def test_arity_text_of_ranges() -> None:
    cat = catalog()
    assert cat["MultiHeadAttention"].arity_text() == "2 to 3 inputs (query, value, key)"
    assert cat["Attention"].arity_text() == "2 to 3 inputs"
    assert cat["Dot"].arity_text() == "exactly 2 inputs"
    assert cat["Add"].arity_text() == "a list of at least 1 input"


def test_attention_is_a_category_of_its_own() -> None:
    cat = catalog()
    assert "attention" in cat.categories
    assert cat.category_of_module("keras.src.layers.attention.multi_head_attention") == "attention"
    assert [t.type for t in cat.by_category()["attention"]] == [
        "Attention",
        "AdditiveAttention",
        "MultiHeadAttention",
        "GroupQueryAttention",
    ]
    assert cat.class_names()["GroupedQueryAttention"] == "GroupQueryAttention"
    assert cat.helpers()["dot"] == "Dot"


def test_renamed_keras2_arguments() -> None:
    assert catalog().renamed_table() == {"LeakyReLU": {"alpha": "negative_slope"}}


def test_consistency_checks_renamed_and_call_ports() -> None:
    doc = copy.deepcopy(load_document())
    by_type = {e["type"]: e for e in doc["layers"]}
    by_type["LeakyReLU"]["renamed"] = {"alpha": "no_such_param"}
    by_type["MultiHeadAttention"]["call_ports"] = ["query", "value"]
    assert consistency_problems(Catalog(doc)) == [
        "MultiHeadAttention: call_ports must name every input port (2 to 3 inputs)",
        "LeakyReLU: renamed alpha -> no_such_param must map an unknown name to a param",
    ]


AXES = Param("axis", "axes", default=-1, min=-8, max=8)
DIMS = Param("output_shape", "dims", default=None, min=1, max=1024)


@pytest.mark.parametrize("value", [-1, 2, (1, 2), [1, -1], (0,)])
def test_axes_kind_accepts(value: Any) -> None:
    assert check_param(AXES, value, ()) is None


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("last", "an integer or a non-empty tuple"),
        ((), "non-empty"),
        ((1, 1), "must not repeat"),
        (9, "at most 8"),
        ((1, -9), "at least -8"),
        (True, "an integer"),
        ((1.5,), "an integer"),
    ],
)
def test_axes_kind_refuses(value: Any, message: str) -> None:
    msg = check_param(AXES, value, ())
    assert msg is not None and message in msg


@pytest.mark.parametrize("value", [64, (4, 5), (None, 64), [None, 2, 3]])
def test_dims_kind_accepts(value: Any) -> None:
    assert check_param(DIMS, value, ()) is None


@pytest.mark.parametrize("value", [0, (), (0, 4), ("a",), 2000, 1.5, (True,)])
def test_dims_kind_refuses(value: Any) -> None:
    assert check_param(DIMS, value, ()) is not None


@pytest.mark.parametrize(
    ("param", "text", "value"),
    [
        (AXES, "-1", -1),
        (AXES, "1, 2", (1, 2)),
        (AXES, "(1,)", (1,)),
        (DIMS, "64", 64),
        (DIMS, "None, 64", (None, 64)),
        (DIMS, "(4, 5)", (4, 5)),
        (DIMS, "", None),
    ],
)
def test_the_inspector_edits_axes_and_dims_as_text(param: Param, text: str, value: Any) -> None:
    assert {"axes", "dims"} <= P.TEXT_KINDS
    assert P.parse_value(param, text) == value
    if value is not None:
        assert P.parse_value(param, P.format_value(value)) == value


def test_the_inspector_refuses_bad_axes_text() -> None:
    with pytest.raises(P.ParamInputError):
        P.parse_value(AXES, "1, None")
