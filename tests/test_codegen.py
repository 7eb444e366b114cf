"""Python code export: readable, ruff-clean, inert for hostile names, and it rebuilds the same model.

Round trip: for every template and for one graph per catalog type (every buildable case of the
shape-rule table), the exported code is exec'd (it is our own generated code) and the model it
builds is compared with ``build_model``: layer types and configs, connectivity, sharing, names,
output shapes and parameter counts (the whole ``model.get_config()`` must be equal).
"""

from __future__ import annotations

import ast
import builtins
import json
import keyword
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from builder import Graph, load_graph
from builder.codegen import identifier, is_default, layer_args, literal, positional_params, to_python
from builder.core.catalog import catalog
from builder.core.templates import list_templates
from builder.errors import CodegenError
from tests.conftest import heavy_modules_imported
from tests.helpers import without_wrapped_names
from tests.keras_edge.test_build import TEMPLATES, template, type_graphs

ROOT = Path(__file__).resolve().parent.parent

INJECTION = 'x"); import os; os.system("echo'


def hostile_names(marker: Path) -> list[str]:
    """Layer names that would run code (create the file ``marker.name`` in the working folder) if
    they were pasted into the source. Keras refuses "/" in names, so the path is relative."""
    m = marker.name
    return [
        INJECTION,
        f"a'); open({m!r}, 'w').write('x'); ('",
        f'b"); open({m!r}, "w").write("x"); ("',
        f"c\nopen({m!r}, 'w').write('x')\n",
        f"d\\\"); open({m!r}, 'w'); (\"",
        f'"""; open({m!r}, "w"); """',
        f"'''; open({m!r}, 'w'); '''",
        "e\r\n# comment\tand tab",
        "class",
        "print",
        "keras",
        "layers",
        "model",
        "build_model",
        "__import__",
        "编码器 ünïcode",
        "123 starts with a digit",
        "!!!",
        "\u2028line separator\x00nul",
        "x" * 150,
    ]


def hostile_graph(marker: Path) -> Graph:
    g, prev = Graph(name=f"m'); open({marker.name!r}, 'w'); ('").add("Input", {"shape": [4]}, name='in"put')
    for name in hostile_names(marker):
        g, prev = g.add("Dense", {"units": 2}, name=name, inputs=[prev])
    g = g.set_outputs([prev])
    return g.set_training({"loss": "mse", "metrics": ["mae"]})


def exec_model(code: str) -> Any:
    ns: dict[str, Any] = {"__name__": "exported"}
    exec(compile(code, "<exported>", "exec"), ns)  # our own generated code, never a user's file
    return ns["build_model"]()


def ruff(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "ruff", *args], cwd=cwd, capture_output=True, text=True, timeout=120, check=False
    )


# --------------------------------------------------------------------------- pure (no TensorFlow)


def test_news_reads_like_the_keras_guide() -> None:
    code = to_python(template("news"))
    lines = code.splitlines()
    assert "import keras" in lines and "from keras import layers" in lines
    assert '    main_input = keras.Input(shape=(100,), dtype="int32", name="main_input")' in lines
    assert '    embedding = layers.Embedding(10000, 512, name="embedding")(main_input)' in lines
    assert '    lstm = layers.LSTM(32, name="lstm")(embedding)' in lines
    assert '    aux_output = layers.Dense(1, activation="sigmoid", name="aux_output")(lstm)' in lines
    assert '    concatenate = layers.Concatenate(name="concatenate")([lstm, aux_input])' in lines
    assert "        inputs=[main_input, aux_input]," in lines
    assert "        outputs=[main_output, aux_output]," in lines
    assert '        name="news",' in lines
    assert '        loss_weights={"main_output": 1.0, "aux_output": 0.2},' in lines
    assert lines[-2:] == ['if __name__ == "__main__":', "    build_model().summary()"]
    assert "def build_model():" in lines and "    return model" in lines
    # one statement per call: one line per layer call (these all fit on one line)
    assert sum(1 for line in lines if "= layers." in line) == 8


def test_shared_layer_is_defined_once_then_called() -> None:
    code = to_python(template("siamese_tweets"))
    assert code.count("layers.LSTM(") == 1
    tree = ast.parse(code)
    calls = [
        node
        for node in ast.walk(tree)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "lstm"
    ]
    assert len(calls) == 2
    assert '    lstm = layers.LSTM(64, name="lstm")' in code.splitlines()


def test_keras_defaults_are_left_out_and_set_values_kept() -> None:
    g, x = Graph(name="d").add("Input", {"shape": [8, 3]}, name="x")
    g, c = g.add(
        "Conv1D",
        {"filters": 4, "kernel_size": 3, "strides": 1, "padding": "valid", "use_bias": True, "activation": None},
        name="conv",
        inputs=[x],
    )
    g, p = g.add("MaxPooling1D", {"pool_size": 3, "padding": "same"}, name="pool", inputs=[c])
    g, q = g.add("MaxPooling1D", {"pool_size": 2, "strides": 1}, name="pool2", inputs=[p])
    g, d = g.add("Dense", {"units": 5, "use_bias": False}, name="head", inputs=[q])
    code = to_python(g.set_outputs([d]))
    assert 'conv = layers.Conv1D(4, 3, name="conv")(x)' in code
    assert 'pool = layers.MaxPooling1D(3, padding="same", name="pool")(conv)' in code
    assert 'pool2 = layers.MaxPooling1D(strides=1, name="pool2")(pool)' in code  # pool_size=2 is the default
    assert 'head = layers.Dense(5, use_bias=False, name="head")(pool2)' in code


def test_is_default_understands_keras_equivalent_spellings() -> None:
    conv2d = catalog()["Conv2D"]
    assert is_default(conv2d.params["strides"], 1)
    assert is_default(conv2d.params["strides"], (1, 1))
    assert not is_default(conv2d.params["strides"], (1, 2))
    assert not is_default(conv2d.params["filters"], 4)  # required: never a default
    assert is_default(catalog()["ZeroPadding2D"].params["padding"], ((1, 1), (1, 1)))
    assert is_default(catalog()["Dense"].params["use_bias"], True)
    assert not is_default(catalog()["Dense"].params["use_bias"], False)


def test_positional_params_are_the_leading_required_ones() -> None:
    assert positional_params(catalog()["Dense"]) == ["units"]
    assert positional_params(catalog()["Embedding"]) == ["input_dim", "output_dim"]
    assert positional_params(catalog()["Conv2D"]) == ["filters", "kernel_size"]
    assert positional_params(catalog()["MaxPooling2D"]) == ["pool_size"]
    assert positional_params(catalog()["Concatenate"]) == []
    args = layer_args(catalog()["Dense"], {"units": 64, "activation": "relu"}, "d")
    assert [getattr(a, "prefix", "") for a in args.items] == ["", "activation=", "name="]


@pytest.mark.parametrize(
    "value",
    [
        "plain",
        INJECTION,
        "it's",
        'say "hi"',
        "both ' and \"",
        "a\\b",
        "\n\r\t\x00\x7f",
        "\u2028\u200b",
        "中文",
        "\U0001f600",
    ],
)
def test_string_literals_are_one_inert_line(value: str) -> None:
    text = literal(value)
    assert "\n" not in text and "\r" not in text
    node = ast.parse(text, mode="eval").body
    assert isinstance(node, ast.Constant) and node.value == value


def test_literals_of_nested_values() -> None:
    value = {"a": (1, 2.5, None), "b": [True, "x"], "c": (3,)}
    assert ast.literal_eval(literal(value)) == {"a": (1, 2.5, None), "b": [True, "x"], "c": (3,)}
    with pytest.raises(ValueError):
        literal(float("nan"))
    with pytest.raises(ValueError):
        literal(object())


@pytest.mark.parametrize(
    "name",
    ["dense", "class", "print", "keras", "layers", "model", "build_model", "", "!!!", "1x", "编码器", "a b-c", "__x__"],
)
def test_identifiers_are_valid_and_never_keywords_or_builtins(name: str) -> None:
    ident = identifier(name, "dense")
    assert ident.isidentifier() and ident.isascii()
    assert not keyword.iskeyword(ident) and not keyword.issoftkeyword(ident)
    assert ident not in dir(builtins) and ident not in {"keras", "layers", "model", "build_model"}


def test_hostile_names_become_unique_identifiers_and_literal_strings(tmp_path: Path) -> None:
    marker = tmp_path / "MARKER"
    g = hostile_graph(marker)
    code = to_python(g)
    tree = ast.parse(code)
    targets = [
        t.id for node in ast.walk(tree) if isinstance(node, ast.Assign) for t in node.targets if hasattr(t, "id")
    ]
    assert len(targets) == len(set(targets))
    for t in targets:
        assert t.isidentifier() and not keyword.iskeyword(t) and (t == "model" or t not in dir(builtins))
    names = {
        kw.value.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        for kw in node.keywords
        if kw.arg == "name" and isinstance(kw.value, ast.Constant)
    }
    assert {layer.name for layer in g.layers} | {g.name} == names
    # nothing but the module's own statements: two imports, one def, one if
    assert [type(n).__name__ for n in tree.body] == ["Import", "ImportFrom", "FunctionDef", "If"]
    calls = {
        n.func.attr if isinstance(n.func, ast.Attribute) else n.func.id
        for n in ast.walk(tree)
        if isinstance(n, ast.Call) and not isinstance(n.func, ast.Call)  # x = layers.Dense(...)(prev)
    }
    assert calls <= {"Input", "Dense", "Model", "compile", "build_model", "summary"} | set(targets)
    assert "open" not in calls and "system" not in calls


def test_description_becomes_comments_only(tmp_path: Path) -> None:
    g = template("mlp")
    from dataclasses import replace

    g = replace(g, description="line one\nimport os; os.system('touch x')\r\x0cthird\u2028fourth")
    code = to_python(g)
    tree = ast.parse(code)
    assert [type(n).__name__ for n in tree.body] == ["Import", "ImportFrom", "FunctionDef", "If"]
    assert "# import os; os.system('touch x')" in code.splitlines()


def test_graph_with_errors_is_refused() -> None:
    g = load_graph(ROOT / "tests/cases/cycle.json")
    with pytest.raises(CodegenError) as info:
        to_python(g)
    assert "cycle" in {i.code for i in info.value.issues}


def test_codegen_does_not_import_tensorflow() -> None:
    code = (
        "from builder.core.templates import list_templates\n"
        "from builder.codegen import to_python\n"
        "templates = list_templates()\n"
        "assert templates\n"
        "for t in templates:\n"
        "    assert 'keras.Model(' in to_python(t.load())\n"
    )
    assert heavy_modules_imported(code) == []


def test_exported_code_is_ruff_format_clean(tmp_path: Path) -> None:
    graphs = {f"t_{t.name}": t.load() for t in list_templates()}
    graphs.update({f"type_{k}": v for k, v in type_graphs().items()})
    graphs["hostile"] = hostile_graph(tmp_path / "MARKER")
    long_names = Graph(name="n" * 90)
    long_names, a = long_names.add("Input", {"shape": [4]}, name="input_" + "a" * 60)
    long_names, b = long_names.add("Input", {"shape": [4]}, name="input_" + "b" * 60)
    long_names, c = long_names.add("Concatenate", {}, name="concat_" + "c" * 50, inputs=[a, b, a, b])
    long_names, d = long_names.add("Dense", {"units": 3}, name="d" * 20, inputs=[c])
    long_names = long_names.add_node(d, node_id="again", inputs=[c])[0]
    long_names = long_names.set_outputs([d, c, "again"])
    long_names = long_names.set_training(
        {"loss": ["mse", "mse", "mse"], "loss_weights": [1, 2, 3], "optimizer": "adam", "learning_rate": 0.001}
    )
    graphs["long_names"] = long_names
    for name, g in graphs.items():
        (tmp_path / f"{name}.py").write_text(to_python(g), encoding="utf-8")
    for extra in ([], ["--line-length", "120"], ["--line-length", "100"]):
        out = ruff("format", "--isolated", "--check", "--diff", *extra, ".", cwd=tmp_path)
        assert out.returncode == 0, out.stdout + out.stderr
    out = ruff("check", "--isolated", "--select", "E,F,W,I,B,UP", "--ignore", "E501", ".", cwd=tmp_path)
    assert out.returncode == 0, out.stdout + out.stderr
    # and with this project's own ruff configuration
    out = ruff("format", "--check", "--config", str(ROOT / "pyproject.toml"), ".", cwd=tmp_path)
    assert out.returncode == 0, out.stdout + out.stderr


# --------------------------------------------------------------------------- against Keras


@pytest.mark.keras
def test_positional_params_match_the_keras_signatures() -> None:
    import inspect

    import keras

    for t in catalog().types.values():
        if t.is_input:
            continue
        cls = keras.layers
        for part in t.keras.split(".")[2:]:
            cls = getattr(cls, part)
        params = [p for p in inspect.signature(cls.__init__).parameters if p != "self"]
        pos = positional_params(t)
        assert params[: len(pos)] == pos, (t.type, params, pos)


@pytest.mark.keras
def test_catalog_defaults_are_the_keras_defaults() -> None:
    """Code export leaves out values equal to the catalog default: that is only right when the
    catalog default is Keras' own (params Keras takes through ``**kwargs`` are not checked here)."""
    import inspect

    import keras

    checked = 0
    for t in catalog().types.values():
        if t.is_input:
            sig = inspect.signature(keras.Input).parameters
        else:
            cls = keras.layers
            for part in t.keras.split(".")[2:]:
                cls = getattr(cls, part)
            sig = inspect.signature(cls.__init__).parameters
        for name, param in t.params.items():
            if param.required or name not in sig:
                continue
            default = sig[name].default
            assert default is not inspect.Parameter.empty, (t.type, name)
            assert is_default(param, default), (t.type, name, param.default, default)
            checked += 1
    assert checked > 100


def assert_same_model(m1: Any, m2: Any) -> None:
    assert without_wrapped_names(m1.get_config()) == without_wrapped_names(m2.get_config())
    assert m1.name == m2.name
    assert [type(la).__name__ for la in m1.layers] == [type(la).__name__ for la in m2.layers]
    for l1, l2 in zip(m1.layers, m2.layers, strict=True):
        c1, c2 = l1.get_config(), l2.get_config()
        assert c1.pop("name") == c2.pop("name")
        assert without_wrapped_names(c1) == without_wrapped_names(c2)
        # connectivity and sharing: same inbound layers on every call
        assert len(l1._inbound_nodes) == len(l2._inbound_nodes)
        for n1, n2 in zip(l1._inbound_nodes, l2._inbound_nodes, strict=True):
            assert [p.operation.name for p in n1.parent_nodes] == [p.operation.name for p in n2.parent_nodes]
    assert [tuple(t.shape) for t in m1.outputs] == [tuple(t.shape) for t in m2.outputs]
    assert list(m1.output_names) == list(m2.output_names)
    assert [t.name for t in m1.inputs] == [t.name for t in m2.inputs]
    assert m1.count_params() == m2.count_params()
    assert len(m1.trainable_weights) == len(m2.trainable_weights)


@pytest.mark.keras
@pytest.mark.parametrize("name", TEMPLATES)
def test_template_round_trips_through_exported_code(name: str) -> None:
    from builder.keras_edge.build import build_model

    g = template(name)
    exported = exec_model(to_python(g))
    assert_same_model(exported, build_model(g))
    if g.training and g.training.get("loss") is not None:
        compiled = build_model(g, training=True)
        assert exported.loss == compiled.loss
        assert exported._compile_loss._user_loss_weights == compiled._compile_loss._user_loss_weights
        assert type(exported.optimizer) is type(compiled.optimizer)


@pytest.mark.keras
@pytest.mark.parametrize("type_name", sorted(type_graphs()))
def test_every_catalog_type_round_trips_through_exported_code(type_name: str) -> None:
    from builder.keras_edge.build import build_model

    g = type_graphs()[type_name]
    assert_same_model(exec_model(to_python(g)), build_model(g))


@pytest.mark.keras
def test_advanced_params_round_trip() -> None:
    from builder.keras_edge.build import build_model

    g, x = Graph(name="advanced").add("Input", {"shape": [6, 4], "dtype": "float32", "batch_size": 8}, name="x")
    g, r = g.add(
        "LSTM",
        {"units": 3, "return_sequences": True, "seed": 7, "recurrent_dropout": 0.1, "unroll": True},
        name="rnn",
        inputs=[x],
    )
    g, d = g.add("Dropout", {"rate": 0.25, "noise_shape": [None, 1, 3], "seed": 1}, name="drop", inputs=[r])
    g, f = g.add("Flatten", {}, name="flat", inputs=[d])
    g, h = g.add(
        "Dense",
        {
            "units": 2,
            "kernel_initializer": {"class_name": "GlorotUniform", "config": {"seed": 3}},
            "bias_initializer": "ones",
            "kernel_regularizer": "l2",
        },
        name="head",
        inputs=[f],
    )
    g = g.set_outputs([h])
    code = to_python(g)
    assert 'kernel_initializer={"class_name": "GlorotUniform", "config": {"seed": 3}}' in code
    assert "noise_shape=(None, 1, 3)" in code
    assert_same_model(exec_model(code), build_model(g))


@pytest.mark.keras
def test_hostile_names_export_inert_code_that_runs(tmp_path: Path) -> None:
    marker = tmp_path / "MARKER"
    g = hostile_graph(marker)
    path = tmp_path / "exported.py"
    path.write_text(to_python(g), encoding="utf-8")
    script = (
        "import json, runpy, sys\n"
        "ns = runpy.run_path(sys.argv[1], run_name='__main__')\n"  # runs the summary() main block too
        "m = ns['build_model']()\n"
        "print('NAMES=' + json.dumps([layer.name for layer in m.layers] + [m.name]))\n"
    )
    env = dict(os.environ, TF_CPP_MIN_LOG_LEVEL="3")
    out = subprocess.run(
        [sys.executable, "-c", script, str(path)], cwd=tmp_path, capture_output=True, text=True, timeout=300, env=env
    )
    assert out.returncode == 0, out.stderr[-3000:]
    assert not marker.exists()
    assert not (tmp_path / "x").exists()
    line = next(x for x in out.stdout.splitlines() if x.startswith("NAMES="))
    names = json.loads(line[len("NAMES=") :])
    assert names == [layer.name for layer in g.layers] + [g.name]
    assert 'Model: "' in out.stdout  # the __main__ block printed the summary
