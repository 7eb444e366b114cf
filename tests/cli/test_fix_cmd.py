"""``kgb fix GRAPH FIX_ID -o OUT`` and the ``fixes`` of ``validate --json``."""

from __future__ import annotations

import json
from pathlib import Path

from builder import load_graph, validate
from builder.cli import EXIT_CODES
from builder.core.fixes import UnknownFix
from tests.conftest import CliRunner

CASES = Path(__file__).resolve().parents[1] / "cases"


def test_validate_json_lists_fixes_per_issue(cli: CliRunner) -> None:
    r = cli("validate", CASES / "seed004_unnamed_heads_loss_dict.json", "--json")
    assert r.code == 1
    issues = r.json["issues"]
    assert all(isinstance(i["fixes"], list) for i in issues)
    head = next(i for i in issues if i["node"] == "dense_1")
    assert {"node", "port", "severity", "code", "message", "keras"} <= set(head)  # nothing dropped
    assert head["fixes"][0] == {
        "id": "rename_head:dense_1:age",
        "label": "Name the head 'dense_1' 'age', after its loss key",
    }
    r = cli("validate", "news", "--json")
    assert r.code == 0 and r.json["issues"] == []


def test_fix_applies_one_fix_and_writes_the_graph(tmp_path: Path, cli: CliRunner) -> None:
    out = tmp_path / "fixed.json"
    r = cli("fix", CASES / "residual_add_mismatch.json", "project_conv:add:1", "-o", out)
    assert r.code == 0, r.err
    assert "applied project_conv:add:1: Insert Conv2D(128, 1, strides=2, padding='same')" in r.out
    assert "the graph validates" in r.out
    report = validate(load_graph(out))
    assert report.ok and report.params.total == 311_680


def test_fix_exits_1_when_errors_are_left(tmp_path: Path, cli: CliRunner) -> None:
    out = tmp_path / "fixed.json"
    r = cli("fix", CASES / "seed004_unnamed_heads_loss_dict.json", "rename_head:dense_1:age", "-o", out)
    assert r.code == 1
    assert "error(s) left" in r.out
    assert json.loads(out.read_text())["layers"][-3]["name"] == "age"


def test_unknown_fix_id_exits_2_naming_the_fixes(tmp_path: Path, cli: CliRunner) -> None:
    out = tmp_path / "fixed.json"
    r = cli("fix", CASES / "seed003_shared_dense_64_then_32.json", "unshare:nope", "-o", out)
    assert r.code == 2
    assert "no fix 'unshare:nope' for this graph; its fixes: unshare:dense_b" in r.err
    assert not out.exists()
    assert (UnknownFix, 2) in EXIT_CODES
    r = cli("fix", tmp_path / "missing.json", "x", "-o", out)
    assert r.code == 2 and "no such file" in r.err
