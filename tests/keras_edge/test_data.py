"""Training settings and training data, without TensorFlow: defaults per head, merging, synthetic
data that fits every template, NPZ / CSV loading and the errors for data that does not fit."""

from __future__ import annotations

import io

import numpy as np
import pytest

from builder.core import settings as settings_mod
from builder.core.graph import Graph
from builder.core.templates import get_template, list_templates
from builder.core.training_settings import default_settings, head_columns, resolve_settings
from builder.core.validate import validate
from builder.errors import DataError
from builder.keras_edge.data import (
    FILL_SIZES,
    Dataset,
    check_data,
    concrete_graph,
    default_samples,
    input_specs,
    load_csv,
    load_data,
    load_npz,
    parse_mapping,
    synthetic_data,
)
from tests.conftest import heavy_modules_imported

TEMPLATES = [t.name for t in list_templates()]


def news() -> Graph:
    return get_template("news").load()


def social() -> Graph:
    return get_template("social_media_multi_output").load()


def two_heads(classes: int = 3) -> Graph:
    """Input(4) -> Dense(8) -> reg (linear), cls (softmax over ``classes``), flag (sigmoid)."""
    g, x = Graph(name="heads").add("Input", {"shape": [4]}, name="x")
    g, h = g.add("Dense", {"units": 8, "activation": "relu"}, inputs=[x], name="hidden")
    g, reg = g.add("Dense", {"units": 1}, inputs=[h], name="reg")
    g, cls = g.add("Dense", {"units": classes, "activation": "softmax"}, inputs=[h], name="cls")
    g, flag = g.add("Dense", {"units": 1, "activation": "sigmoid"}, inputs=[h], name="flag")
    return g.set_outputs([reg, cls, flag])


# --------------------------------------------------------------------------- settings


def test_default_losses_follow_each_heads_activation():
    s = default_settings(two_heads())
    assert s["loss"] == {"reg": "mse", "cls": "categorical_crossentropy", "flag": "binary_crossentropy"}
    assert s["loss_weights"] == {"reg": 1.0, "cls": 1.0, "flag": 1.0}
    assert s["metrics"] == {"reg": [], "cls": ["accuracy"], "flag": ["accuracy"]}
    assert s["optimizer"] == "rmsprop" and s["learning_rate"] == 0.001
    assert settings_mod.check(s, ["reg", "cls", "flag"]) == []


def test_resolve_merges_the_graphs_settings_over_the_defaults_head_by_head():
    g = social()  # stores age 0.25, income 1, gender 10 (seed 001)
    s = resolve_settings(g)
    assert s["loss_weights"] == {"age": 0.25, "income": 1.0, "gender": 10.0}
    assert s["loss"] == {"age": "mse", "income": "categorical_crossentropy", "gender": "binary_crossentropy"}
    assert s["epochs"] == 10 and s["batch_size"] == 64
    s2 = resolve_settings(g, {"loss_weights": {"gender": 2.0}, "loss": "mae", "optimizer": "sgd"})
    assert s2["loss_weights"] == {"age": 0.25, "income": 1.0, "gender": 2.0}
    assert s2["loss"] == {"age": "mae", "income": "mae", "gender": "mae"}
    assert s2["learning_rate"] == 0.01  # SGD's own default
    assert resolve_settings(g, {"optimizer": "sgd", "learning_rate": 0.5})["learning_rate"] == 0.5
    # list form: one per output, in output order
    s3 = resolve_settings(g, {"loss_weights": [1, 2, 3]})
    assert s3["loss_weights"] == {"age": 1, "income": 2, "gender": 3}
    # what resolve returns can be stored in the graph and round-trips through JSON
    from builder.core.graph import loads

    again = loads(g.set_training(s2).to_json())
    assert resolve_settings(again) == s2


def test_resolve_keeps_bad_keys_so_the_checks_name_them():
    g = news()
    s = resolve_settings(g, {"loss": {"main": "binary_crossentropy"}})  # seed 004's mistake
    codes = {p.code for p in settings_mod.check(s, g.output_names())}
    assert "loss_key_mismatch" in codes


@pytest.mark.parametrize(
    "training, fragment",
    [
        ({"metrics": ["accuracy", "acuracy"]}, "Unknown metric 'acuracy'"),
        ({"metrics": {"nope": ["mae"]}}, "names no output"),
        ({"early_stopping": {"patience": -1}}, "patience"),
        ({"early_stopping": {"patience": 2, "mode": "max"}}, "Unknown early_stopping key"),
        ({"early_stopping": "yes"}, "`early_stopping` must be"),
        ({"early_stopping": {"restore_best_weights": 1}}, "restore_best_weights"),
    ],
)
def test_settings_checks_for_metrics_and_early_stopping(training, fragment):
    problems = settings_mod.check(training, ["main_output", "aux_output"])
    assert any(fragment in p.message for p in problems), problems


def test_early_stopping_true_means_the_defaults():
    s = resolve_settings(news(), {"early_stopping": True})
    assert s["early_stopping"]["patience"] == 3 and s["early_stopping"]["restore_best_weights"] is True
    assert resolve_settings(news(), {"early_stopping": False})["early_stopping"] is None
    assert settings_mod.check(s, news().output_names()) == []


def test_head_columns_names_the_keras_columns():
    assert head_columns(["loss", "main_output_loss", "aux_output_loss"], ["main_output", "aux_output"]) == {
        "main_output": "main_output_loss",
        "aux_output": "aux_output_loss",
    }
    assert head_columns(["loss", "accuracy"], ["dense_2"]) == {"dense_2": "loss"}


def test_importing_training_does_not_import_tensorflow() -> None:
    code = "import builder.keras_edge.training, builder.keras_edge.data, builder.keras_edge.build, builder.cli\n"
    assert heavy_modules_imported(code) == []


# --------------------------------------------------------------------------- synthetic data


@pytest.mark.parametrize("name", TEMPLATES)
def test_synthetic_data_fits_every_template(name):
    g = get_template(name).load()
    s = resolve_settings(g)
    ds = synthetic_data(g, 8, seed=1, settings=s)
    assert ds.n == 8
    concrete, report, _ = concrete_graph(g)
    assert report.ok
    for spec in input_specs(concrete):
        arr = ds.x[spec.name]
        assert arr.shape == (8, *spec.shape)
        if spec.vocab is not None:
            assert arr.dtype.kind == "i" and 0 <= arr.min() and arr.max() < spec.vocab
    assert list(ds.output_names) == g.output_names()
    for nid, name_, y in zip(concrete.outputs, ds.output_names, ds.y):
        loss = s["loss"][name_]
        shape = report.shapes[nid]
        if loss == "categorical_crossentropy":
            assert y.shape == (8, *shape[1:]) and np.allclose(y.sum(-1), 1) and set(np.unique(y)) <= {0, 1}
        elif loss == "binary_crossentropy":
            assert y.shape == (8, *shape[1:]) and set(np.unique(y)) <= {0, 1}
        else:
            assert y.shape == (8, *shape[1:]) and y.dtype == np.float32
    # the data passes its own checks, and the same seed gives the same data
    check_data(g, ds, s)
    again = synthetic_data(g, 8, seed=1, settings=s)
    other = synthetic_data(g, 8, seed=2, settings=s)
    first = next(iter(ds.x))
    assert np.array_equal(ds.x[first], again.x[first])
    assert not np.array_equal(ds.x[first], other.x[first])


def test_variable_dims_get_the_smallest_size_the_model_takes():
    g = social()  # five valid Conv1D(5) and two MaxPooling1D(5): needs at least 269 steps
    concrete, report, size = concrete_graph(g)
    assert report.ok and size == 512 and size in FILL_SIZES
    qa = get_template("question_answering").load()
    assert concrete_graph(qa)[2] == FILL_SIZES[0]
    ds = synthetic_data(g, 4)
    assert ds.x["posts"].shape == (4, 512) and ds.notes


def test_sparse_labels_are_class_ids():
    g = two_heads(5)
    s = resolve_settings(g, {"loss": {"cls": "sparse_categorical_crossentropy"}})
    ds = synthetic_data(g, 50, settings=s)
    cls = ds.y[1]
    assert cls.shape == (50,) and cls.dtype.kind == "i" and 0 <= cls.min() and cls.max() < 5


def test_default_sample_count_is_capped_for_big_inputs():
    assert default_samples(get_template("mlp").load()) == 256
    big = default_samples(get_template("siamese_tweets").load())  # two (280, 256) float inputs
    assert 16 <= big < 256
    assert big * 2 * 280 * 256 * 4 <= 64 * 2**20


def test_token_ids_respect_mask_zero_and_the_smallest_vocab():
    g, x = Graph().add("Input", {"shape": [6], "dtype": "int32"}, name="ids")
    g, e1 = g.add("Embedding", {"input_dim": 50, "output_dim": 4, "mask_zero": True}, inputs=[x])
    g, e2 = g.add("Embedding", {"input_dim": 7, "output_dim": 4}, inputs=[x])
    g, c = g.add("Concatenate", {}, inputs=[e1, e2])
    g, f = g.add("Flatten", {}, inputs=[c])
    g, out = g.add("Dense", {"units": 1}, inputs=[f])
    g = g.set_outputs([out])
    assert validate(g).ok
    spec = input_specs(g)[0]
    assert spec.vocab == 7 and spec.mask_zero
    ids = synthetic_data(g, 200).x["ids"]
    assert ids.min() >= 1 and ids.max() <= 6 and ids.dtype == np.int32


def test_bad_sample_counts_are_refused():
    with pytest.raises(DataError, match="positive integer"):
        synthetic_data(news(), 0)


# --------------------------------------------------------------------------- NPZ


def _npz_bytes(**arrays) -> bytes:
    buf = io.BytesIO()
    np.savez(buf, **arrays)
    return buf.getvalue()


def news_arrays(n: int = 6) -> dict[str, np.ndarray]:
    rng = np.random.default_rng(0)
    return {
        "main_input": rng.integers(0, 10000, (n, 100)),
        "aux_input": rng.standard_normal((n, 5)),
        "main_output": rng.integers(0, 2, (n, 1)).astype(float),
        "aux_output": rng.integers(0, 2, (n,)).astype(float),  # (n,) is fine for a (None, 1) head
    }


def test_npz_round_trip(tmp_path):
    g = news()
    s = resolve_settings(g)
    ds = synthetic_data(g, 10, settings=s)
    path = tmp_path / "news.npz"
    ds.to_npz(path)
    back = load_npz(path, g, s)
    assert back.n == 10 and back.source == "news.npz"
    for k in ds.x:
        assert np.array_equal(back.x[k], ds.x[k])
    for a, b in zip(back.y, ds.y):
        assert np.array_equal(a, b)
    assert load_data(str(path), g, s).n == 10
    assert load_npz(_npz_bytes(**news_arrays()), g, s).y[1].shape == (6, 1)


@pytest.mark.parametrize(
    "change, fragment",
    [
        (lambda a: a.pop("aux_input"), "no data for 'aux_input'"),
        (lambda a: a.update(aux_input=np.zeros((6, 4))), "expected shape (None, 5), received (6, 4)"),
        (lambda a: a.update(aux_input=np.zeros((5, 5))), "different numbers of rows"),
        (lambda a: a["aux_input"].__setitem__((2, 1), np.nan), "NaN value(s) (the first in row 2)"),
        (lambda a: a["aux_input"].__setitem__((0, 0), np.inf), "infinite"),
        (lambda a: a["main_input"].__setitem__((1, 1), 10000), "token ids must be from 0 to 9,999"),
        (lambda a: a.update(main_input=a["main_input"] + 0.5), "whole numbers"),
        (lambda a: a.update(main_output=np.full((6, 1), 3.0)), "labels must be from 0 to 1"),
        (lambda a: a.update(aux_input=np.array([["a"] * 5] * 6)), "must hold numbers"),
    ],
)
def test_npz_that_does_not_fit_gets_a_clear_error(change, fragment):
    g = news()
    s = resolve_settings(g)
    arrays = news_arrays()
    change(arrays)
    with pytest.raises(DataError) as err:
        load_npz(_npz_bytes(**arrays), g, s)
    assert fragment in str(err.value)


def test_npz_is_never_unpickled_and_bad_files_are_refused(tmp_path):
    g, s = news(), resolve_settings(news())
    arrays = news_arrays()
    arrays["aux_input"] = np.array([object()] * 6, dtype=object)
    with pytest.raises(DataError, match="cannot be read safely|not a readable"):
        load_npz(_npz_bytes(**arrays), g, s)
    with pytest.raises(DataError, match="not a readable .npz"):
        load_npz(b"not a zip file", g, s)
    with pytest.raises(DataError, match="no such file"):
        load_npz(tmp_path / "missing.npz", g, s)
    with pytest.raises(DataError, match="unknown data file type"):
        load_data(str(tmp_path / "x.txt"), g, s)


def test_class_ids_for_a_categorical_head_become_one_hot_and_bad_ids_are_refused():
    g = two_heads(3)
    s = resolve_settings(g)
    rng = np.random.default_rng(0)
    arrays = {"x": rng.standard_normal((5, 4)), "reg": rng.standard_normal((5, 1)), "flag": np.ones((5, 1))}
    ds = check_data(g, {**arrays, "cls": np.array([0, 2, 1, 1, 0])}, s)
    assert ds.y[1].shape == (5, 3) and ds.y[1][1].tolist() == [0, 0, 1] and ds.notes
    with pytest.raises(DataError, match="class ids must be from 0 to 2. Received ids from 0 to 3"):
        check_data(g, {**arrays, "cls": np.array([0, 3, 1, 1, 0])}, s)
    s_sparse = resolve_settings(g, {"loss": {"cls": "sparse_categorical_crossentropy"}})
    with pytest.raises(DataError, match="expected shape"):
        check_data(g, {**arrays, "cls": np.eye(3)[[0, 1, 2, 0, 1]]}, s_sparse)


def test_a_graph_with_errors_gets_no_data():
    g, x = Graph().add("Input", {"shape": [4]}, name="x")
    g, lstm = g.add("LSTM", {"units": 2}, inputs=[x])
    g = g.set_outputs([lstm])
    with pytest.raises(DataError, match="errors"):
        check_data(g, {"x": np.zeros((2, 4)), "lstm": np.zeros((2, 2))}, resolve_settings(g))


# --------------------------------------------------------------------------- CSV


def news_csv(n: int = 4, drop: str | None = None, cell: tuple[int, int, str] | None = None) -> str:
    """The news model's data as CSV; ``cell`` = (data row, column index, text) overwrites one cell."""
    rng = np.random.default_rng(0)
    cols = [f"main_input_{i}" for i in range(100)] + [f"aux_input_{i}" for i in range(5)]
    cols += ["main_output", "aux_output"]
    rows = []
    for _ in range(n):
        vals = list(rng.integers(0, 10000, 100)) + [f"{v:.3f}" for v in rng.standard_normal(5)]
        rows.append(vals + [int(rng.integers(0, 2)), int(rng.integers(0, 2))])
    if cell is not None:
        rows[cell[0]][cell[1]] = cell[2]
    keep = [i for i, c in enumerate(cols) if c != drop]
    lines = [",".join(cols[i] for i in keep)] + [",".join(str(r[i]) for i in keep) for r in rows]
    return "\n".join(lines) + "\n"


def test_csv_with_prefixed_columns_is_reshaped_to_the_inputs():
    g, s = news(), resolve_settings(news())
    ds = load_csv(news_csv().encode(), g, s)
    assert ds.x["main_input"].shape == (4, 100) and ds.x["main_input"].dtype == np.int32
    assert ds.x["aux_input"].shape == (4, 5) and ds.y[0].shape == (4, 1)


def test_csv_columns_in_natural_order_and_an_explicit_mapping(tmp_path):
    g, x = Graph(name="img").add("Input", {"shape": [2, 6]}, name="img")
    g, f = g.add("Flatten", {}, inputs=[x])
    g, out = g.add("Dense", {"units": 1}, inputs=[f], name="y")
    g = g.set_outputs([out])
    s = resolve_settings(g)
    # columns p_0 .. p_11 in scrambled order: p_10 must come after p_9, not after p_1
    cols = [f"p_{i}" for i in (10, 2, 0, 11, 1, 3, 4, 5, 6, 7, 8, 9)]
    header = ",".join(cols + ["target"])
    row = ",".join(str(int(c[2:])) for c in cols) + ",0.5"
    path = tmp_path / "t.csv"
    path.write_text(f"{header}\n{row}\n{row}\n")
    ds = load_csv(path, g, s, parse_mapping(["img=p_*", "y=target"]))
    assert ds.x["img"].shape == (2, 2, 6)
    assert ds.x["img"][0].reshape(-1).tolist() == list(range(12))  # C order, natural sort
    listed = load_csv(path, g, s, {"img": [f"p_{i}" for i in range(12)], "y": ["target"]})
    assert np.array_equal(listed.x["img"], ds.x["img"])
    with pytest.raises(DataError, match="needs 12 columns per row; found 11"):
        load_csv(path, g, s, {"img": [f"p_{i}" for i in range(11)], "y": ["target"]})
    with pytest.raises(DataError, match="missing column"):
        load_csv(path, g, s, {"img": ["p_0", "q"], "y": ["target"]})
    with pytest.raises(DataError, match="not model inputs"):
        load_csv(path, g, s, {"nope": ["target"]})
    with pytest.raises(DataError, match="NAME=COL1"):
        parse_mapping(["img"])


def test_csv_variable_length_input_takes_its_length_from_the_columns():
    g = get_template("question_answering").load()
    s = resolve_settings(g)
    cols = [f"text_{i}" for i in range(7)] + [f"question_{i}" for i in range(3)] + ["dense"]
    row = ",".join(["1"] * 10 + ["4"])
    ds = load_csv(f"{','.join(cols)}\n{row}\n{row}\n".encode(), g, s)
    assert ds.x["text"].shape == (2, 7) and ds.x["question"].shape == (2, 3)
    assert ds.y[0].shape == (2, 500) and ds.y[0][0, 4] == 1  # a class-id column for a softmax head


@pytest.mark.parametrize(
    "text, fragment",
    [
        (news_csv(drop="aux_output"), "no columns for 'aux_output'"),
        (news_csv(cell=(2, 101, "x")), "column 'aux_input_1' (for 'aux_input') is not numeric: row 3 holds 'x'"),
        (news_csv(cell=(1, 106, "")), "column 'aux_output' (for 'aux_output') has an empty or NaN value in row 2"),
        (news_csv(cell=(0, 7, "nan")), "column 'main_input_7' (for 'main_input') has an empty or NaN value in row 1"),
        (news_csv(n=0), "no data rows"),
        ("", "not a readable CSV"),
    ],
)
def test_bad_csv_gets_a_clear_error(text, fragment):
    g, s = news(), resolve_settings(news())
    with pytest.raises(DataError) as err:
        load_csv(text.encode(), g, s)
    assert fragment in str(err.value)


def test_dataset_feeds_keras_in_the_models_structure():
    g = news()
    ds = synthetic_data(g, 3)
    assert isinstance(ds.fit_x(), list) and [a.shape[1:] for a in ds.fit_x()] == [(100,), (5,)]
    assert set(ds.fit_y()) == {"main_output", "aux_output"}
    one = synthetic_data(get_template("mlp").load(), 3)
    assert isinstance(one.fit_x(), np.ndarray) and isinstance(one.fit_y(), np.ndarray)
    assert isinstance(ds, Dataset) and ds.nbytes > 0
