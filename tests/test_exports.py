"""Exports (.keras, Keras JSON, PNG, graph JSON, Python) and ``python -m builder export``."""

from __future__ import annotations

import json
import os
import struct
from pathlib import Path
from typing import Any

import pytest

from builder import load_graph, loads
from builder.cli import main
from builder.codegen import to_python
from builder.errors import ExportError
from builder.exports import export_bytes, export_file
from builder.keras_edge.save import save_keras
from tests.conftest import heavy_modules_imported, run_cli
from tests.keras_edge.test_build import template

ROOT = Path(__file__).resolve().parent.parent
CYCLE = str(ROOT / "tests/cases/cycle.json")


def plain(config: Any) -> Any:
    """A Keras config as JSON data (tuples become lists, as after a save and load)."""
    return json.loads(json.dumps(config))


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    assert data[12:16] == b"IHDR"
    return struct.unpack(">II", data[16:24])


# --------------------------------------------------------------------------- pure (no TensorFlow)


def test_graph_export_loads_back_identical() -> None:
    g = template("siamese_tweets")
    data = export_bytes(g, "graph")
    assert loads(data).to_dict() == g.to_dict()


def test_python_export_is_the_code_generator() -> None:
    g = template("news")
    assert export_bytes(g, "py").decode("utf-8") == to_python(g)


def test_unknown_format_is_an_export_error() -> None:
    with pytest.raises(ExportError, match="unknown export format"):
        export_bytes(template("mlp"), "onnx")


def test_export_file_reports_an_unwritable_path(tmp_path: Path) -> None:
    with pytest.raises(ExportError, match="cannot write"):
        export_file(template("mlp"), "py", tmp_path / "missing" / "model.py")


def test_keras_file_needs_the_keras_suffix(tmp_path: Path) -> None:
    with pytest.raises(ExportError, match=r"\.keras"):
        save_keras(template("mlp"), tmp_path / "model.h5")


def test_cli_py_and_graph_exports_do_not_import_tensorflow(tmp_path: Path) -> None:
    code = (
        "from builder.cli import main\n"
        f"assert main(['export', 'news', '--format', 'py', '-o', {str(tmp_path / 'news.py')!r}]) == 0\n"
        f"assert main(['export', 'siamese_tweets', '-f', 'graph', '-o', {str(tmp_path / 'g.json')!r}]) == 0\n"
    )
    assert heavy_modules_imported(code) == []
    assert (tmp_path / "news.py").read_text(encoding="utf-8") == to_python(template("news"))
    assert loads((tmp_path / "g.json").read_bytes()).to_dict() == template("siamese_tweets").to_dict()


def test_cli_runs_as_a_module(tmp_path: Path) -> None:
    out_file = tmp_path / "mlp.py"
    r = run_cli("export", "mlp", "-o", out_file)
    assert r.code == 0, r.err
    assert out_file.read_text(encoding="utf-8") == to_python(template("mlp"))  # format told by the .py suffix


def test_cli_prints_text_formats_to_stdout(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["export", "mlp", "-f", "py"]) == 0
    assert capsys.readouterr().out == to_python(template("mlp"))
    assert main(["export", "mlp", "-f", "graph", "-o", "-"]) == 0
    assert json.loads(capsys.readouterr().out) == template("mlp").to_dict()


def test_cli_graph_with_errors_exits_1_and_prints_them(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out_file = tmp_path / "cycle.py"
    assert main(["export", CYCLE, "-f", "py", "-o", str(out_file)]) == 1
    err = capsys.readouterr().err
    assert "cycle" in err and "not exported" in err
    assert not out_file.exists()
    # graph JSON is still written (nothing the user drew is lost), but the exit code says "errors"
    graph_file = tmp_path / "cycle.json"
    assert main(["export", CYCLE, "-f", "graph", "-o", str(graph_file)]) == 1
    assert loads(graph_file.read_bytes()).to_dict() == load_graph(CYCLE).to_dict()
    assert "cycle" in capsys.readouterr().err


@pytest.mark.parametrize(
    "argv, message",
    [
        (["export", "no_such_template_or_file", "-f", "py"], "no such file"),
        (["export", "mlp", "-o", "out.txt"], "give --format"),
        (["export", "mlp", "-f", "png"], "give -o"),
        (["export", "mlp", "-f", "py", "-o", "/no/such/folder/x.py"], "does not exist"),
        (["export", "mlp", "-f", "keras", "-o", "model.h5"], ".keras"),
    ],
)
def test_cli_unusable_arguments_exit_2(argv: list[str], message: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(argv) == 2
    assert message in capsys.readouterr().err


def test_cli_unreadable_graph_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text('{"format": "keras-graph-builder", "version": 1, "layers": [', encoding="utf-8")
    assert main(["export", str(bad), "-f", "py"]) == 2
    assert "invalid graph" in capsys.readouterr().err
    assert main(["export", str(tmp_path), "-f", "py"]) == 2
    assert main(["export", "mlp", "--format", "onnx"]) == 2  # argparse refuses the choice


# --------------------------------------------------------------------------- with Keras


@pytest.fixture(scope="module")
def keras_mod() -> Any:
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    import keras

    return keras


@pytest.mark.keras
def test_keras_file_loads_back_in_safe_mode_with_sharing(tmp_path: Path, keras_mod: Any) -> None:
    from builder.keras_edge.build import build_model

    g = template("siamese_tweets")
    out = tmp_path / "siamese.keras"
    assert main(["export", "siamese_tweets", "-o", str(out)]) == 0
    loaded = keras_mod.models.load_model(out, safe_mode=True)
    expected = build_model(g)
    assert plain(loaded.get_config()) == plain(expected.get_config())
    assert loaded.count_params() == 82_305
    lstm = loaded.get_layer("lstm")
    assert len(lstm._inbound_nodes) == 2  # still one layer, called twice


@pytest.mark.keras
def test_keras_bytes_are_a_keras_zip(keras_mod: Any, tmp_path: Path) -> None:
    data = export_bytes(template("mlp"), "keras")
    assert data[:2] == b"PK"
    path = tmp_path / "m.keras"
    path.write_bytes(data)
    assert keras_mod.models.load_model(path, safe_mode=True).count_params() == 3_466


@pytest.mark.keras
def test_keras_json_rebuilds_the_model(keras_mod: Any, tmp_path: Path) -> None:
    from builder.keras_edge.build import build_model

    g = template("news")
    out = tmp_path / "news_keras.json"
    assert main(["export", "news", "-f", "json", "-o", str(out)]) == 0
    text = out.read_text(encoding="utf-8")
    assert json.loads(text)["class_name"] == "Functional"
    model = keras_mod.models.model_from_json(text)
    assert plain(model.get_config()) == plain(build_model(g).get_config())
    assert model.count_params() == 5_200_610
    assert list(model.output_names) == ["main_output", "aux_output"]


@pytest.mark.keras
def test_png_shows_the_model(tmp_path: Path) -> None:
    out = tmp_path / "inception.png"
    assert main(["export", "inception_module", "-o", str(out)]) == 0
    width, height = png_size(out.read_bytes())
    assert width > 300 and height > 300
    w2, h2 = png_size(export_bytes(template("mlp"), "png"))
    assert w2 > 100 and h2 > 100


@pytest.mark.keras
def test_keras_formats_refuse_graphs_with_errors(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    for fmt, name in (("keras", "x.keras"), ("json", "x.json"), ("png", "x.png")):
        out = tmp_path / name
        assert main(["export", CYCLE, "-f", fmt, "-o", str(out)]) == 1
        assert not out.exists()
        assert "cycle" in capsys.readouterr().err
