"""The CLI is a stable interface: exit codes and JSON fields are contracts."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import HEAVY, CliRunner, heavy_modules_imported, run_cli
from tests.helpers import chain


def test_templates_json_lists_every_template_with_params(cli: CliRunner) -> None:
    r = cli("templates", "--json")
    assert r.code == 0
    items = r.json
    assert items, "no templates"
    for item in items:
        assert {"name", "title", "path", "params"} <= set(item)
        assert Path(item["path"]).exists()
        assert isinstance(item["params"], int) and item["params"] > 0
    news = next(i for i in items if i["name"] == "news")
    assert news["params"] == 5_200_610


def test_validate_exit_codes_and_json_fields(tmp_path: Path, cli: CliRunner) -> None:
    good = tmp_path / "good.json"
    good.write_text(chain(("Dense", {"units": 3})).to_json())
    r = cli("validate", good, "--json")
    assert r.code == 0
    doc = r.json
    assert set(doc) == {
        "ok",
        "issues",
        "shapes",
        "params",
        "outputs",
        "output_nodes",
        "output_shapes",
        "port_shapes",
        "output_ports",
        "cost",
    }
    assert doc["ok"] is True and doc["params"] == {"total": 27, "trainable": 27, "non_trainable": 0}
    assert doc["outputs"] == ["dense"] and doc["shapes"]["dense"] == [None, 3]

    bad = tmp_path / "bad.json"
    bad.write_text(chain(("LSTM", {"units": 3})).to_json())
    r = cli("validate", bad, "--json")
    assert r.code == 1
    doc = r.json
    assert doc["ok"] is False
    assert set(doc["issues"][0]) == {"node", "port", "severity", "code", "message", "keras", "fixes"}
    assert doc["issues"][0]["code"] == "rank_mismatch" and doc["issues"][0]["node"] == "lstm"
    assert doc["issues"][0]["keras"] == "build"


@pytest.mark.parametrize("content", ["{not json", "", "[]", '{"version": 99}'])
def test_validate_unreadable_files_exit_2_with_a_message(tmp_path: Path, cli: CliRunner, content: str) -> None:
    f = tmp_path / "broken.json"
    f.write_text(content)
    r = cli("validate", f)
    assert r.code == 2
    assert "broken.json" in r.err and "error:" in r.err


def test_validate_missing_file_and_directory(tmp_path: Path, cli: CliRunner) -> None:
    r = cli("validate", tmp_path / "nope.json")
    assert r.code == 2 and "no such file" in r.err
    r = cli("validate", tmp_path)
    assert r.code == 2 and "error:" in r.err


def test_validate_text_output_names_node_and_code(tmp_path: Path, cli: CliRunner) -> None:
    f = tmp_path / "g.json"
    f.write_text(chain(("MaxPooling1D", {"pool_size": 9}), input_shape=(4, 2)).to_json())
    r = cli("validate", f)
    assert r.code == 1
    out = r.out
    assert "max_pooling1d" in out and "window_too_large" in out and "1 error(s)" in out


def test_summary_prints_a_keras_like_table(cli: CliRunner) -> None:
    r = cli("summary", "news")
    assert r.code == 0
    out = r.out
    assert "Layer (type)" in out and "Output Shape" in out and "Connected to" in out
    assert "embedding (Embedding)" in out and "(None, 100, 512)" in out and "5,120,000" in out
    assert "Total params: 5,200,610" in out and "Non-trainable params: 0" in out


def test_bad_arguments_exit_2(cli: CliRunner) -> None:
    r = cli("validate")
    assert r.code == 2 and "usage:" in r.err
    r = cli("frobnicate")
    assert r.code == 2 and "frobnicate" in r.err


def test_cli_runs_as_a_module_without_tensorflow_keras_or_streamlit() -> None:
    code = (
        "import contextlib, io, json, runpy, sys\n"
        "sys.argv = ['builder', 'validate', 'news', '--json']\n"
        "buf = io.StringIO()\n"
        "with contextlib.redirect_stdout(buf):\n"
        "    try:\n"
        "        runpy.run_module('builder', run_name='__main__')\n"
        "    except SystemExit as e:\n"
        "        assert e.code == 0, e.code\n"
        "assert json.loads(buf.getvalue())['ok'] is True\n"
    )
    assert heavy_modules_imported(code, of=HEAVY) == []
    r = run_cli("validate", "news")
    assert r.code == 0 and r.out.startswith("OK:"), r.err


def test_validate_json_names_outputs_unambiguously(cli) -> None:
    """Two outputs that are calls of one shared LayerNormalization share their Keras name; the
    ids and shapes in output order tell them apart (additive to ``outputs`` and ``shapes``)."""
    import tempfile
    from pathlib import Path

    from builder.core.graph import Graph

    g, a = Graph().add("Input", {"shape": [8]}, name="a")
    g, b = g.add("Input", {"shape": [6, 8]}, name="b")
    g, n1 = g.add("LayerNormalization", {}, inputs=[a], name="layer_normalization")
    g, n2 = g.add_node(g.layer_of(n1).id, inputs=[b])  # a second call of the same layer
    g = g.set_outputs([n1, n2])
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "g.json"
        path.write_text(g.to_json(), encoding="utf-8")
        r = cli("validate", str(path), "--json")
    doc = r.json
    assert doc["outputs"] == ["layer_normalization", "layer_normalization"]
    assert doc["output_nodes"] == [n1, n2] and n1 != n2
    assert doc["output_shapes"] == [[None, 8], [None, 6, 8]]
    assert doc["shapes"][n1] == [None, 8] and doc["shapes"][n2] == [None, 6, 8]


def test_validate_text_says_what_keras_would_do(tmp_path: Path, cli: CliRunner) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text(chain(("LSTM", {"units": 3})).to_json())
    r = cli("validate", bad)
    assert r.code == 1
    assert "keras: build: Keras refuses to build this model." in r.out
    loose = tmp_path / "loose.json"
    loose.write_text(chain(("LSTM", {"units": 3, "dropout": -0.5}), input_shape=(5, 4)).to_json())
    r = cli("validate", loose)
    assert r.code == 1
    assert "keras: stricter: Keras accepts this; the builder flags it on purpose." in r.out
