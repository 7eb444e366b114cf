"""The CLI is a stable interface: exit codes and JSON fields are contracts."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from builder.cli import main
from tests.helpers import chain

ROOT = Path(__file__).resolve().parents[2]


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "builder", *args], cwd=ROOT, capture_output=True, text=True, timeout=120
    )


def test_templates_json_lists_every_template_with_params(capsys):
    assert main(["templates", "--json"]) == 0
    items = json.loads(capsys.readouterr().out)
    assert items, "no templates"
    for item in items:
        assert {"name", "title", "path", "params"} <= set(item)
        assert Path(item["path"]).exists()
        assert isinstance(item["params"], int) and item["params"] > 0
    news = next(i for i in items if i["name"] == "news")
    assert news["params"] == 5_200_610


def test_validate_exit_codes_and_json_fields(tmp_path, capsys):
    good = tmp_path / "good.json"
    good.write_text(chain(("Dense", {"units": 3})).to_json())
    assert main(["validate", str(good), "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert set(doc) == {"ok", "issues", "shapes", "params", "outputs", "cost"}
    assert doc["ok"] is True and doc["params"] == {"total": 27, "trainable": 27, "non_trainable": 0}
    assert doc["outputs"] == ["dense"] and doc["shapes"]["dense"] == [None, 3]

    bad = tmp_path / "bad.json"
    bad.write_text(chain(("LSTM", {"units": 3})).to_json())
    assert main(["validate", str(bad), "--json"]) == 1
    doc = json.loads(capsys.readouterr().out)
    assert doc["ok"] is False
    assert set(doc["issues"][0]) == {"node", "port", "severity", "code", "message"}
    assert doc["issues"][0]["code"] == "rank_mismatch" and doc["issues"][0]["node"] == "lstm"


@pytest.mark.parametrize("content", ["{not json", "", "[]", '{"version": 99}'])
def test_validate_unreadable_files_exit_2_with_a_message(tmp_path, capsys, content):
    f = tmp_path / "broken.json"
    f.write_text(content)
    assert main(["validate", str(f)]) == 2
    err = capsys.readouterr().err
    assert "broken.json" in err and "error:" in err


def test_validate_missing_file_and_directory(tmp_path, capsys):
    assert main(["validate", str(tmp_path / "nope.json")]) == 2
    assert "no such file" in capsys.readouterr().err
    assert main(["validate", str(tmp_path)]) == 2


def test_validate_text_output_names_node_and_code(tmp_path, capsys):
    f = tmp_path / "g.json"
    f.write_text(chain(("MaxPooling1D", {"pool_size": 9}), input_shape=(4, 2)).to_json())
    assert main(["validate", str(f)]) == 1
    out = capsys.readouterr().out
    assert "max_pooling1d" in out and "window_too_large" in out and "1 error(s)" in out


def test_summary_prints_a_keras_like_table(capsys):
    assert main(["summary", "news"]) == 0
    out = capsys.readouterr().out
    assert "Layer (type)" in out and "Output Shape" in out and "Connected to" in out
    assert "embedding (Embedding)" in out and "(None, 100, 512)" in out and "5,120,000" in out
    assert "Total params: 5,200,610" in out and "Non-trainable params: 0" in out


def test_bad_arguments_exit_2(capsys):
    assert main(["validate"]) == 2
    assert main(["frobnicate"]) == 2


def test_cli_runs_as_a_module_without_tensorflow():
    code = (
        "import sys, runpy; sys.argv=['builder','validate','news','--json'];\n"
        "try:\n runpy.run_module('builder', run_name='__main__')\n"
        "except SystemExit as e: assert e.code == 0, e.code\n"
        "assert 'tensorflow' not in sys.modules and 'keras' not in sys.modules and 'streamlit' not in sys.modules"
    )
    proc = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["ok"] is True
    assert run("validate", "news").returncode == 0
