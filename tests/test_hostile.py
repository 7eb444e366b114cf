"""Hostile and broken graph input: every case gets a clear message and the right exit code.

Complements tests/core/test_graph.py (malformed fields, duplicate ids, deep nesting, binary input) and
tests/core/test_validate.py / tests/test_codegen.py (bad params, hostile names in exported code): here
are huge, truncated and absurd documents, absurd sizes checked without allocating anything, and
the CLI answering each of them without a traceback.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tracemalloc
from pathlib import Path
from typing import Any

import pytest

from builder import MAX_FILE_BYTES, load_graph
from builder.core.graph import MAX_NODES, Graph, loads
from builder.core.validate import validate
from builder.errors import GraphFormatError
from tests.conftest import heavy_modules_imported, run_cli
from tests.helpers import chain, issue_codes

ROOT = Path(__file__).resolve().parent.parent
NEWS = (ROOT / "builder" / "templates" / "news.json").read_text(encoding="utf-8")


def write(tmp_path: Path, text: str | bytes, name: str = "g.json") -> Path:
    p = tmp_path / name
    if isinstance(text, bytes):
        p.write_bytes(text)
    else:
        p.write_text(text, encoding="utf-8")
    return p


# --------------------------------------------------------------------------- huge and truncated documents


def test_a_file_over_the_size_limit_is_refused_before_it_is_read(tmp_path, cli):
    big = tmp_path / "big.json"
    with big.open("wb") as fh:  # a sparse 50 MB + 1 file: nothing is written, nothing read
        fh.truncate(MAX_FILE_BYTES + 1)
    tracemalloc.start()
    with pytest.raises(GraphFormatError, match="limited to"):
        load_graph(big)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert peak < 1_000_000  # refused from the file size alone
    code, _, err = cli("validate", str(big))
    assert code == 2 and "big.json" in err and "limited to" in err


def test_a_million_nodes_declared_is_refused_with_the_limit(tmp_path, cli):
    doc = '{"version": 1, "layers": [], "nodes": [' + ",".join(['{"id": "n"}'] * 1_000_000) + "]}"
    with pytest.raises(GraphFormatError) as info:
        loads(doc)
    assert info.value.field == "nodes" and f"{MAX_NODES:,}" in info.value.message
    code, _, err = cli("validate", str(write(tmp_path, doc)))
    assert code == 2 and "too large" in err


@pytest.mark.parametrize("cut", [1, 10, 100, 0.5, -3, -2])
def test_truncated_documents_are_refused_with_a_position(tmp_path, cli, cut):
    n = int(len(NEWS) * cut) if isinstance(cut, float) else cut
    text = NEWS[:n]
    with pytest.raises(GraphFormatError, match="not valid JSON"):
        loads(text)
    code, _, err = cli("validate", str(write(tmp_path, text)))
    assert code == 2 and "not valid JSON" in err and "line" in err


@pytest.mark.parametrize(
    "text, fragment",
    [
        ("\ufeff" + NEWS, "not valid JSON"),  # a byte-order mark
        ("null", "must be a JSON object"),
        ('"a string"', "must be a JSON object"),
        ('{"version": 1.0}', "expected an integer"),
        ('{"version": 0}', "reads version 1"),
        ('{"version": -1}', "reads version 1"),
        ('{"version": true}', "expected an integer"),
        ('{"version": 1, "layers": [[]]}', "expected an object"),
        (
            '{"version": 1, "layers": [{"name": "i", "type": "Input"}], "nodes": [{"id": "i", "inputs": ["ghost"]}]}',
            "no node with id 'ghost'",
        ),
        (
            '{"version": 1, "layers": [{"name": "i", "type": "Input"}], "nodes": [{"id": "i", "inputs": "i"}]}',
            "expected an array",
        ),
        (
            '{"version": 1, "layers": [{"name": "i", "type": "Input"}], "nodes": [{"id": "i"}], "inputs": ["x"]}',
            "no node with id 'x'",
        ),
        ('{"version": 1, "layers": [{"name": "i", "type": "Input"}], "nodes": [{"id": ""}]}', "must not be empty"),
        ('{"version": 1, "layers": [{"name": "i", "type": "Input", "id": 3}]}', "expected a string"),
    ],
)
def test_odd_documents_exit_2_with_a_message(tmp_path, cli, text, fragment):
    with pytest.raises(GraphFormatError, match=fragment.replace("(", r"\(").replace("[", r"\[")):
        loads(text)
    code, _, err = cli("validate", str(write(tmp_path, text)))
    assert code == 2 and fragment in err


def test_an_integer_of_5000_digits_is_a_format_error(tmp_path):
    text = '{"version": 1, "layers": [{"name": "d", "type": "Dense", "config": {"units": ' + "9" * 5000 + "}}]}"
    with pytest.raises(GraphFormatError):
        loads(text)


def test_nan_and_infinity_in_configs_are_bad_params_not_crashes():
    text = json.dumps(json.loads(chain(("Dropout", {"rate": 0.5}), ("Dense", {"units": 2})).to_json()))
    for bad in ("NaN", "Infinity", "-Infinity", "1e400"):
        g = loads(text.replace('"rate": 0.5', f'"rate": {bad}'))
        r = validate(g)
        assert not r.ok and "bad_param" in issue_codes(r) and "internal_error" not in issue_codes(r), bad


# --------------------------------------------------------------------------- absurd sizes, never allocated


ABSURD = [
    ((("Dense", {"units": 10**12}),), (8,), "bad_param"),
    ((("Dense", {"units": 10**30}),), (8,), "bad_param"),
    ((("Embedding", {"input_dim": 10**12, "output_dim": 8}),), (8,), "bad_param"),
    ((("Conv1D", {"filters": 10**12, "kernel_size": 3}),), (8, 3), "bad_param"),
    ((("Reshape", {"target_shape": [10**12]}),), (8,), "bad_param"),
    ((("Dense", {"units": 8}),), (10**12,), "bad_param"),
    # every size inside its cap, the product absurd: 10^18 weights
    ((("Flatten", {}), ("Dense", {"units": 1_000_000})), (1_000_000, 1_000_000, 1_000_000), "too_large"),
    ((("Dense", {"units": 1_048_576}), ("Dense", {"units": 1_048_576})), (1_000_000,), "too_large"),
]


@pytest.mark.parametrize("specs, input_shape, code", ABSURD)
def test_absurd_sizes_are_refused_without_allocating(specs, input_shape, code):
    g = chain(*specs, input_shape=input_shape)
    tracemalloc.start()
    r = validate(g)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert not r.ok and code in issue_codes(r), r.issues
    assert peak < 2_000_000, peak  # the validator never builds anything of the model's size


@pytest.mark.parametrize(
    "config",
    [
        {"shape": [0]},
        {"shape": [-1]},
        {"shape": [2.5]},
        {"shape": [True]},
        {"shape": ["8"]},
        {"shape": [8], "batch_size": 0},
        {"shape": [8], "batch_size": -4},
        {"shape": [8], "batch_size": 1.5},
    ],
)
def test_input_sizes_zero_negative_non_integer(config):
    g, i = Graph().add("Input", config)
    g, d = g.add("Dense", {"units": 1}, inputs=[i])
    r = validate(g.set_outputs([d]))
    assert not r.ok and "bad_param" in issue_codes(r, i) and "internal_error" not in issue_codes(r)


def test_the_validator_answers_absurd_graphs_without_importing_keras(tmp_path):
    """Every absurd case above, through the CLI in a fresh Python: exit 1, the issue code, no Keras."""
    paths = []
    for k, (specs, input_shape, code) in enumerate(ABSURD):
        paths.append((str(write(tmp_path, chain(*specs, input_shape=input_shape).to_json(), f"g{k}.json")), code))
    script = (
        "import contextlib, io, json\n"
        "from builder.cli import main\n"
        f"for path, code in {paths!r}:\n"
        "    buf = io.StringIO()\n"
        "    with contextlib.redirect_stdout(buf):\n"
        "        rc = main(['validate', path, '--json'])\n"
        "    codes = [i['code'] for i in json.loads(buf.getvalue())['issues']]\n"
        "    assert rc == 1 and code in codes, (path, rc, codes)\n"
    )
    assert heavy_modules_imported(script) == []


# --------------------------------------------------------------------------- structure through the CLI


def test_cycles_exit_1_with_the_path(tmp_path, cli):
    g, a = Graph().add("Input", {"shape": [4]}, name="inp")
    g, b = g.add("Dense", {"units": 4}, name="first", inputs=[a])
    g, c = g.add("Add", {}, name="loop", inputs=[b])
    g = g.connect(c, b, 1)  # first -> loop -> first, fed by the input too
    g, d = g.add("Dense", {"units": 1}, name="head", inputs=[c])
    doc = json.loads(g.set_outputs([d]).to_json())
    code, out, _ = cli("validate", str(write(tmp_path, json.dumps(doc))))
    assert code == 1 and "cycle" in out and "first" in out and "loop" in out
    # the same cycle cut loose from any input: still a clear answer
    doc["edges"] = [e for e in doc["edges"] if e["source"] != "inp"]
    code, out, _ = cli("validate", str(write(tmp_path, json.dumps(doc))), "--json")
    report = json.loads(out)
    assert code == 1 and "cycle" in {i["code"] for i in report["issues"]}


def test_dangling_layer_reference_in_a_built_graph_is_an_issue(cli, tmp_path):
    doc = json.loads(chain(("Dense", {"units": 2})).to_json())
    doc["layers"].append({"id": "orphan", "name": "orphan", "type": "Dense", "config": {"units": 3}})
    code, out, _ = cli("validate", str(write(tmp_path, json.dumps(doc))), "--json")
    issues = json.loads(out)["issues"]
    assert code == 0 and any(i["code"] == "unused_layer" and i["severity"] == "warning" for i in issues)


def test_duplicate_layer_names_and_unknown_types_exit_1(tmp_path, cli):
    doc = json.loads(chain(("Dense", {"units": 2}), ("Dense", {"units": 1})).to_json())
    doc["layers"][2]["name"] = doc["layers"][1]["name"]
    doc["layers"][1]["type"] = "__import__('os').system('x')"
    code, out, _ = cli("validate", str(write(tmp_path, json.dumps(doc))))
    assert code == 1 and "duplicate_name" in out and "unknown_type" in out


# --------------------------------------------------------------------------- hostile names


HOSTILE_NAMES = [
    'say "hi"',
    "it's",
    "new\nline",
    "back\\slash",
    "tab\tand\rreturn",
    "中文层",
    "émoji 😀",
    "\u202eright-to-left",
    "class",
    "lambda",
    "print",
    "__import__",
    "exec",
    "None",
    "x'); __import__('os').system('touch PWNED'); ('",
    '"""',
    "{name}",
    "%s%n",
]


def _named_graph(names: list[str]) -> Graph:
    g, prev = Graph(name="m").add("Input", {"shape": [3]}, name=names[0])
    for name in names[1:]:
        g, prev = g.add("Dense", {"units": 2}, name=name, inputs=[prev])
    return g.set_outputs([prev])


def test_hostile_names_round_trip_and_validate(tmp_path, cli):
    g = _named_graph(HOSTILE_NAMES)
    again = loads(g.to_json())
    assert [la.name for la in again.layers] == HOSTILE_NAMES
    assert again == loads(again.to_json())
    r = validate(again)
    assert r.ok, r.issues
    assert r.outputs == [HOSTILE_NAMES[-1]]
    path = write(tmp_path, g.to_json())
    code, out, _ = cli("validate", str(path), "--json")
    assert code == 0 and json.loads(out)["outputs"] == [HOSTILE_NAMES[-1]]
    code, out, _ = cli("summary", str(path))
    assert code == 0 and "中文层" in out
    assert not (tmp_path / "PWNED").exists() and not (ROOT / "PWNED").exists()


@pytest.mark.keras
def test_hostile_names_export_to_code_that_never_runs_the_name(tmp_path):
    from builder.codegen import to_python

    g = _named_graph(HOSTILE_NAMES)
    path = tmp_path / "model.py"
    path.write_text(to_python(g), encoding="utf-8")
    script = (
        "import json, runpy, sys\n"
        "ns = runpy.run_path(sys.argv[1], run_name='exported')\n"
        "m = ns['build_model']()\n"
        "print('NAMES=' + json.dumps([layer.name for layer in m.layers]))\n"
    )
    env = dict(os.environ, TF_CPP_MIN_LOG_LEVEL="3")
    proc = subprocess.run(
        [sys.executable, "-c", script, str(path)], cwd=tmp_path, capture_output=True, text=True, timeout=300, env=env
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert not (tmp_path / "PWNED").exists()
    line = next(x for x in proc.stdout.splitlines() if x.startswith("NAMES="))
    assert json.loads(line[len("NAMES=") :]) == HOSTILE_NAMES


def test_the_cli_process_never_shows_a_traceback(tmp_path):
    cases: dict[str, Any] = {
        "truncated.json": (NEWS[: len(NEWS) // 3], 2),
        "binary.json": (b"\x00\xff\xfe" * 100, 2),
        "cycle.json": ((ROOT / "tests" / "cases" / "cycle.json").read_text(encoding="utf-8"), 1),
        "huge_units.json": (chain(("Dense", {"units": 10**12})).to_json(), 1),
        "ok.json": (NEWS, 0),
    }
    for name, (text, want) in cases.items():
        r = run_cli("validate", write(tmp_path, text, name))
        assert r.code == want, (name, r.out, r.err)
        assert "Traceback" not in r.err, (name, r.err)
        if want == 2:
            assert r.err.startswith("error: ") and name in r.err


@pytest.mark.keras
def test_a_real_keras_file_with_a_lambda_layer_is_refused_and_never_run(tmp_path, cli):
    """A .keras file whose Lambda layer would write a marker file if its code ever ran."""
    import os

    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    import keras

    from builder.errors import GraphImportError
    from builder.importers import import_file
    from ui.files import UploadError, read_upload

    marker = tmp_path / "pwned"

    def evil(t):  # runs only when the layer is called: at build time here, never on import
        if marker.parent.exists() and os.environ.get("KGB_BUILDING") != "1":
            marker.write_text("ran")
        return t

    os.environ["KGB_BUILDING"] = "1"
    x = keras.Input((3,), name="x")
    model = keras.Model(x, keras.layers.Dense(2, name="out")(keras.layers.Lambda(evil, name="evil")(x)))
    path = tmp_path / "lambda.keras"
    model.save(path)
    os.environ.pop("KGB_BUILDING")

    with pytest.raises(GraphImportError, match="Lambda"):
        import_file(path)
    with pytest.raises(UploadError, match="Lambda"):
        read_upload("lambda.keras", path.read_bytes())
    code, _, err = cli("import", str(path), "-o", str(tmp_path / "g.json"))
    assert code == 2 and "Lambda" in err and "Traceback" not in err
    assert not (tmp_path / "g.json").exists() and not marker.exists()
