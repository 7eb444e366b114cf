"""builder.diff and ``python -m builder diff``: the JSON fields and exit codes are contracts."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from builder import load_graph
from builder.cli import main
from builder.core.diff import diff, is_equal, render
from builder.core.graph import Graph

ROOT = Path(__file__).resolve().parents[2]


def news() -> Graph:
    return load_graph(ROOT / "builder" / "templates" / "news.json")


def changes(result: dict, field: str | None = None) -> list[tuple]:
    return [
        (c["layer"], c["field"], c["before"], c["after"])
        for c in result["changed"]
        if field is None or c["field"] == field
    ]


def test_equal_graphs_are_equal_whatever_their_ids_and_positions() -> None:
    g = news()
    assert is_equal(diff(g, g))
    moved = g.move("dense", 500, 500)
    assert is_equal(diff(g, moved))
    # the Keras default made explicit is no change
    assert is_equal(diff(g, g.update_config("dense", use_bias=True)))


def test_a_changed_param_is_reported_with_its_shapes_and_params() -> None:
    a = news()
    b = a.update_config("dense", units=32)
    result = diff(a, b)
    assert ("dense", "config.units", 64, 32) in changes(result)
    assert changes(result, "shape") == [("dense", "shape", [None, 64], [None, 32])]
    params = {c[0]: (c[2], c[3]) for c in changes(result, "params")}
    assert params == {"dense": (37 * 64 + 64, 37 * 32 + 32), "dense_1": (64 * 64 + 64, 32 * 64 + 64)}
    delta = (37 * 64 + 64 + 64 * 64 + 64) - (37 * 32 + 32 + 32 * 64 + 64)
    assert result["params"] == {"before": 5_200_610, "after": 5_200_610 - delta}
    assert result["added"] == [] and result["removed"] == []


def test_a_changed_edge_is_reported_by_layer_names() -> None:
    a = news()
    b = a.disconnect("dense_1", "dense_2").connect("dense", "dense_2", 0)
    result = diff(a, b)
    assert result["removed"] == [{"kind": "edge", "source": "dense_1", "target": "dense_2", "port": 0}]
    assert result["added"] == [{"kind": "edge", "source": "dense", "target": "dense_2", "port": 0}]
    assert not is_equal(result)


def test_an_added_layer_is_reported_with_its_edges() -> None:
    a = news()
    b, nid = a.add("Dropout", {"rate": 0.5}, name="drop", inputs=["dense_2"])
    b = b.disconnect("dense_2", "main_output").connect(nid, "main_output", 0)
    result = diff(a, b)
    assert {"kind": "layer", "layer": "drop", "type": "Dropout"} in result["added"]
    assert {"kind": "edge", "source": "dense_2", "target": "drop", "port": 0} in result["added"]
    assert {"kind": "edge", "source": "drop", "target": "main_output", "port": 0} in result["added"]
    assert result["removed"] == [{"kind": "edge", "source": "dense_2", "target": "main_output", "port": 0}]
    back = diff(b, a)
    assert {"kind": "layer", "layer": "drop", "type": "Dropout"} in back["removed"]


def test_type_outputs_and_shared_calls() -> None:
    a = news()
    b = a.set_outputs(["main_output"])
    assert (None, "model.outputs", ["main_output", "aux_output"], ["main_output"]) in changes(diff(a, b))
    c, _ = a.add_node("dense_2", inputs=["dense"])  # a second call of dense_2
    result = diff(a, c)
    assert {"kind": "call", "layer": "dense_2#1"} in result["added"]
    assert {"kind": "edge", "source": "dense", "target": "dense_2#1", "port": 0} in result["added"]


def test_json_field_names_are_exactly_as_specified() -> None:
    a = news()
    b, _ = a.update_config("lstm", units=16).add("Dense", {"units": 2}, name="extra", inputs=["lstm"])
    result = diff(a, b)
    assert set(result) == {"added", "removed", "changed", "params"}
    assert set(result["params"]) == {"before", "after"}
    assert result["changed"] and all(set(c) == {"layer", "field", "before", "after"} for c in result["changed"])
    assert json.loads(json.dumps(result)) == result
    text = render(result)
    assert "+ layer extra (Dense)" in text and "~ lstm  config.units: 32 -> 16" in text


def test_cli_exit_codes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    same = tmp_path / "same.json"
    same.write_text(news().move("dense", 1, 2).to_json())
    assert main(["diff", "news", str(same)]) == 0
    assert "equal: 5,200,610 params" in capsys.readouterr().out
    other = tmp_path / "other.json"
    other.write_text(news().update_config("dense", units=32).to_json())
    assert main(["diff", "news", str(other), "--json"]) == 1
    doc = json.loads(capsys.readouterr().out)
    assert set(doc) == {"added", "removed", "changed", "params"}
    assert {"layer": "dense", "field": "config.units", "before": 64, "after": 32} in doc["changed"]
    broken = tmp_path / "broken.json"
    broken.write_text("{")
    assert main(["diff", "news", str(broken)]) == 2
    assert main(["diff", "news", str(tmp_path / "missing.json")]) == 2
    assert "broken.json" in capsys.readouterr().err


def test_cli_model_at_version_from_the_workspace(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from builder.store import Workspace

    url = f"sqlite:///{tmp_path / 'w.sqlite3'}"
    monkeypatch.setenv("KGB_DATABASE_URL", url)
    with Workspace.open(url) as ws:
        mid = ws.create_model("mine", news())
        ws.create_version(mid, "start")
        m = ws.get_model(mid)
        ws.save(mid, m.graph.update_config("dense_2", units=8), None, m.revision)
    assert main(["diff", "mine@start", "news"]) == 0
    assert "equal" in capsys.readouterr().out
    assert main(["diff", "mine@1", "mine@current", "--json"]) == 1
    doc = json.loads(capsys.readouterr().out)
    assert {"layer": "dense_2", "field": "config.units", "before": 64, "after": 8} in doc["changed"]
    assert main(["diff", "mine@9", "news"]) == 2
    assert "no version" in capsys.readouterr().err
    assert main(["diff", "nobody@1", "news"]) == 2
