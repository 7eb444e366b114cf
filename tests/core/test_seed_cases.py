"""The seed posts' bugs, as graphs under ``tests/cases/``: the validator pins each one to its node.

``CASES`` is the table: for every case file, the issues the validator must report (code,
severity, node id, port) and nothing else, plus the strings the message must contain (the
layer name and both shapes where shapes are involved). ``test_keras_agrees`` rebuilds each case
by hand in Keras (independent of ``builder/``) and checks that Keras really fails, or really
accepts, the way the table says.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from builder import load_graph, validate
from builder.core.validate import Issue, Report
from tests.reference_models import seed_case_models

CASES_DIR = Path(__file__).resolve().parents[1] / "cases"


@dataclass(frozen=True)
class Expect:
    code: str
    severity: str
    node: str | None  # the node id the issue is pinned to (None: the whole model)
    port: int | None = None
    mentions: tuple[str, ...] = ()  # substrings of the message: layer name, both shapes, ...
    count: int = 1  # how many times (a model-wide issue repeats once per bad key)


@dataclass(frozen=True)
class Case:
    expect: tuple[Expect, ...]
    params: int | None = None  # total the validator still counts (where Keras counts the same)
    shapes: tuple[tuple[str, tuple[int | None, ...] | None], ...] = ()  # node -> inferred shape


_LOSS_KEYS = (
    "Expected keys ['dense_1', 'dense_2', 'dense_3'] in loss dict",
    "'age'",
)

CASES: dict[str, Case] = {
    "seed000_aux_input_unconnected": Case(
        (Expect("unused_input", "error", "aux_input", None, ("'aux_input'",)),),
        params=5_200_354,
        shapes=(("concatenate", (None, 33)),),
    ),
    "seed000_single_loss_two_weights": Case(
        (
            Expect(
                "loss_weights_mismatch",
                "error",
                None,
                None,
                ("`loss_weights` must match the number of losses, got 1 losses and 2 weights", "main_output"),
            ),
        ),
        params=5_200_610,
    ),
    "seed004_embedding_swapped": Case(
        (Expect("embedding_swapped", "warning", "embedding", None, ("'embedding'", "256", "50,000")),),
        params=45_982_476,
        shapes=(("embedding", (None, None, 50000)),),
    ),
    "seed004_unnamed_heads_loss_dict": Case(
        (
            Expect("loss_key_mismatch", "error", "dense_1", None, ("'dense_1'", *_LOSS_KEYS)),
            Expect("loss_key_mismatch", "error", "dense_2", None, ("'dense_2'", *_LOSS_KEYS)),
            Expect("loss_key_mismatch", "error", "dense_3", None, ("'dense_3'", *_LOSS_KEYS)),
            # the loss_weights dict is keyed by the same names: one issue per key, model-wide
            Expect("loss_key_mismatch", "error", None, None, ("`loss_weights` has key 'age'",), count=3),
        ),
        params=14_146_316,
    ),
    "inception_valid_padding": Case(
        (
            Expect(
                "shape_mismatch",
                "error",
                "concatenate",
                1,
                ("'concatenate'", "(None, 16, 16, 128)", "(None, 15, 15, 128)"),
            ),
        ),
        shapes=(
            ("conv2d", (None, 16, 16, 128)),
            ("conv2d_2", (None, 15, 15, 128)),
            ("conv2d_3", (None, 13, 13, 128)),
            ("conv2d_6", (None, 14, 14, 128)),
            ("concatenate", None),
        ),
    ),
    "residual_add_mismatch": Case(
        (Expect("shape_mismatch", "error", "add", 1, ("'add'", "(16, 16, 128)", "(32, 32, 128)")),),
        shapes=(("max_pooling2d", (None, 16, 16, 128)), ("add", None)),
    ),
    "seed003_shared_dense_64_then_32": Case(
        (
            Expect(
                "shared_layer_mismatch",
                "error",
                "dense_b",
                0,
                ("'shared_dense'", "expected axis -1 of input shape to have value 64", "(None, 32)"),
            ),
        ),
        shapes=(("dense_a", (None, 8)), ("dense_b", None)),
    ),
    "cycle": Case((Expect("cycle", "error", "add", None, ("add -> dense -> dense_1 -> add",)),)),
    "dense_zero_units": Case((Expect("bad_param", "error", "dense", None, ("'dense'", "units=0")),)),
}


def _report(name: str) -> Report:
    return validate(load_graph(CASES_DIR / f"{name}.json"))


def _key(i: Issue | Expect) -> tuple[str, str, str | None, int | None]:
    return (i.code, i.severity, i.node, i.port)


def test_every_case_file_is_in_the_table_and_the_readme() -> None:
    files = sorted(p.stem for p in CASES_DIR.glob("*.json"))
    assert files == sorted(CASES)
    readme = (CASES_DIR / "README.md").read_text(encoding="utf-8")
    for name in files:
        assert f"`{name}.json`" in readme, f"README.md does not list {name}.json"


@pytest.mark.parametrize("name", sorted(CASES))
def test_validator_pins_the_bug_to_its_node(name: str) -> None:
    case = CASES[name]
    report = _report(name)
    got = sorted((_key(i) for i in report.issues), key=str)
    want = sorted((_key(e) for e in case.expect for _ in range(e.count)), key=str)
    assert got == want, report.issues  # exactly these issues, nothing else
    if any(e.severity == "error" for e in case.expect):
        assert not report.ok
    else:
        assert report.ok
    if case.params is not None:
        assert report.params.total == case.params
    for node, shape in case.shapes:
        assert report.shapes[node] == shape, node


@pytest.mark.parametrize("name", sorted(CASES))
def test_message_names_the_layer_and_the_shapes(name: str) -> None:
    report = _report(name)
    for e in CASES[name].expect:
        messages = [i.message for i in report.issues if _key(i) == _key(e)]
        assert any(all(m in msg for m in e.mentions) for msg in messages), (e.mentions, messages)


def test_the_cases_are_the_templates_with_one_bug_each() -> None:
    """Fixing the one bug gives back the template: each case isolates a single mistake."""
    from builder.core.templates import get_template

    news = get_template("news").load()
    unconnected = load_graph(CASES_DIR / "seed000_aux_input_unconnected.json")
    fixed = unconnected.set_input_order("concatenate", ["lstm", "aux_input"])
    assert validate(fixed).params == validate(news).params
    assert validate(fixed).ok and not validate(fixed).issues

    single_loss = load_graph(CASES_DIR / "seed000_single_loss_two_weights.json")
    assert not validate(single_loss.set_training(news.training)).issues

    swapped = load_graph(CASES_DIR / "seed004_embedding_swapped.json")
    fixed = swapped.set_config("embedding", {"input_dim": 50000, "output_dim": 256})
    assert validate(fixed).params.total == 14_146_316 and not validate(fixed).issues

    unnamed = load_graph(CASES_DIR / "seed004_unnamed_heads_loss_dict.json")
    for layer_id, name in (("dense_1", "age"), ("dense_2", "income"), ("dense_3", "gender")):
        unnamed = unnamed.rename_layer(layer_id, name)
    assert not validate(unnamed).issues

    inception = load_graph(CASES_DIR / "inception_valid_padding.json")
    for layer in inception.layers:
        if layer.type in ("Conv2D", "AveragePooling2D"):
            inception = inception.update_config(layer.id, padding="same")
    report = validate(inception)
    assert not report.issues and report.params.total == 836_480

    shared = load_graph(CASES_DIR / "seed003_shared_dense_64_then_32.json")
    report = validate(shared.unshare("dense_b", name="dense_1"))
    assert not report.issues and report.shapes["dense_b"] == (None, 8)


# --------------------------------------------------------------------------- against real Keras
# Each case rebuilt by hand is in tests/reference_models.py (seed_case_models).


# case -> None (Keras accepts it) or a substring of Keras' error, shared with our message
KERAS_SAYS: dict[str, str | None] = {
    "seed000_aux_input_unconnected": None,
    "seed000_single_loss_two_weights": "`loss_weights` must match the number of losses, got 1 losses and 2 weights",
    "seed004_embedding_swapped": None,
    "seed004_unnamed_heads_loss_dict": "Expected keys ['dense_1', 'dense_2', 'dense_3'] in loss dict",
    "inception_valid_padding": "requires inputs with matching shapes except for the concatenation axis",
    "residual_add_mismatch": "Received shapes (16, 16, 128) and (32, 32, 128)",
    "seed003_shared_dense_64_then_32": "expected axis -1 of input shape to have value 64, but received input with "
    "shape (None, 32)",
    "dense_zero_units": "Received: units=0",
}


@pytest.fixture(scope="module")
def reference_models() -> dict[str, Callable[[], Any]]:
    return seed_case_models()


@pytest.mark.keras
@pytest.mark.parametrize("name", sorted(KERAS_SAYS))
def test_keras_agrees(name: str, reference_models: dict[str, Callable[[], Any]]) -> None:
    expected = KERAS_SAYS[name]
    if expected is None:
        reference_models[name]()  # Keras builds it without a word: only the validator objects
        return
    with pytest.raises(ValueError) as info:
        reference_models[name]()
    assert expected in str(info.value)
    # and our message says the same thing
    messages = [i.message for i in _report(name).issues]
    assert any(expected in m for m in messages), messages


def test_keras_table_covers_every_case_but_the_cycle() -> None:
    assert set(KERAS_SAYS) == set(CASES) - {"cycle"}
