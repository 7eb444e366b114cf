"""Refused, custom and unknown layer classes: the importers name the class, give the reason from
the one table (builder.core.refused) and point at the coverage table; nothing from a file is run."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from builder.core.catalog import catalog
from builder.core.refused import COVERAGE_DOC, REFUSED
from builder.errors import GraphImportError
from builder.importers import import_keras_json, import_python

ROOT = Path(__file__).resolve().parents[2]


def _model(cls: str, *, registered: str | None = None, module: str = "keras.layers") -> dict[str, Any]:
    def tensor(name: str) -> dict[str, Any]:
        return {"class_name": "__keras_tensor__", "config": {"shape": [None, 4], "keras_history": [name, 0, 0]}}

    return {
        "module": "keras",
        "class_name": "Functional",
        "config": {
            "name": "m",
            "layers": [
                {
                    "module": "keras.layers",
                    "class_name": "InputLayer",
                    "config": {"batch_shape": [None, 4], "dtype": "float32", "name": "x"},
                    "registered_name": None,
                    "name": "x",
                    "inbound_nodes": [],
                },
                {
                    "module": module,
                    "class_name": cls,
                    # What a Lambda's config holds: marshalled bytecode, which must never be loaded.
                    "config": {"name": "odd", "function": {"class_name": "__lambda__", "config": {"code": "4wEAAAAA"}}},
                    "registered_name": registered,
                    "name": "odd",
                    "inbound_nodes": [{"args": [tensor("x")], "kwargs": {}}],
                },
            ],
            "input_layers": [["x", 0, 0]],
            "output_layers": [["odd", 0, 0]],
        },
    }


def test_the_refused_table_names_no_catalog_type() -> None:
    names = catalog().class_names()
    assert not set(REFUSED) & set(names), "a class is both in the catalog and refused"
    assert {"Lambda", "TFSMLayer", "GRUCell", "RNN"} <= set(REFUSED)
    assert (ROOT / COVERAGE_DOC).is_file()


@pytest.mark.parametrize("cls", sorted(REFUSED))
def test_keras_json_refused_classes_name_themselves_and_give_the_reason(cls: str) -> None:
    with pytest.raises(GraphImportError) as exc:
        import_keras_json(json.dumps(_model(cls)))
    msg = str(exc.value)
    assert f"layer 'odd' ({cls}): refused: {REFUSED[cls]}" in msg
    assert COVERAGE_DOC in msg


@pytest.mark.parametrize(
    "cls, registered, module, words",
    [
        ("Scale", "my_pkg>Scale", "my_pkg.layers", "a custom layer class (registered as 'my_pkg>Scale')"),
        # A custom class that shares a built-in's name is still custom: its module says so.
        ("Dense", "Dense", "__main__", "(Dense): a custom layer class (from module '__main__')"),
        ("Lambda", "my_pkg>Lambda", "my_pkg", "a custom layer class (registered as 'my_pkg>Lambda')"),
        ("NotAKerasLayer", None, "keras.layers", "the layer class 'NotAKerasLayer' is not in the builder's catalog"),
    ],
)
def test_keras_json_custom_and_unknown_classes_name_themselves(
    cls: str, registered: str | None, module: str, words: str
) -> None:
    with pytest.raises(GraphImportError) as exc:
        import_keras_json(json.dumps(_model(cls, registered=registered, module=module)))
    msg = str(exc.value)
    assert words in msg and "layer 'odd'" in msg
    assert "never" in msg and COVERAGE_DOC in msg


def test_keras_json_built_in_classes_from_keras_modules_still_import() -> None:
    g = import_keras_json(json.dumps(_model("Flatten", module="keras.layers"))).graph
    assert [la.type for la in g.layers] == ["Input", "Flatten"]


def test_python_lambda_is_refused_and_its_code_never_runs(tmp_path: Path) -> None:
    marker = tmp_path / "ran.txt"
    src = (
        "import keras\n"
        "from keras import layers\n"
        "x = keras.Input((4,))\n"
        f"y = layers.Lambda(lambda t: open({str(marker)!r}, 'w').write('ran') or t)(x)\n"
        "m = keras.Model(x, y)\n"
    )
    with pytest.raises(GraphImportError) as exc:
        import_python(src)
    msg = str(exc.value)
    assert msg.startswith("line 4: keras.layers.Lambda: refused: wraps a Python function")
    assert COVERAGE_DOC in msg
    assert not marker.exists()


@pytest.mark.parametrize("cls", ["TFSMLayer", "LSTMCell", "Pipeline"])
def test_python_refused_classes_give_the_reason(cls: str) -> None:
    src = f"import keras\nx = keras.Input((4,))\ny = keras.layers.{cls}('arg')(x)\nm = keras.Model(x, y)\n"
    with pytest.raises(GraphImportError) as exc:
        import_python(src)
    assert f"line 3: keras.layers.{cls}: refused: {REFUSED[cls]}" in str(exc.value)


def test_python_unknown_class_names_itself_and_points_at_the_table() -> None:
    src = "import keras\nx = keras.Input((4,))\ny = keras.layers.NotAKerasLayer(3)(x)\nm = keras.Model(x, y)\n"
    with pytest.raises(GraphImportError) as exc:
        import_python(src)
    msg = str(exc.value)
    assert "keras.layers.NotAKerasLayer: the layer class 'NotAKerasLayer' is not in the builder's catalog" in msg
    assert COVERAGE_DOC in msg


@pytest.mark.parametrize("base", ["layers.Layer", "keras.layers.Layer", "layers.Dense", "keras.Layer"])
def test_python_custom_layer_class_names_itself_and_is_never_run(tmp_path: Path, base: str) -> None:
    marker = tmp_path / "ran.txt"
    src = (
        "import keras\n"
        "from keras import layers\n"
        f"class Scale({base}):\n"
        "    def call(self, x):\n"
        f"        open({str(marker)!r}, 'w').write('ran')\n"
        "        return x\n"
        "x = keras.Input((4,))\n"
        "y = Scale()(x)\n"
        "m = keras.Model(x, y)\n"
    )
    with pytest.raises(GraphImportError) as exc:
        import_python(src)
    msg = str(exc.value)
    assert msg.startswith(f"line 8: Scale (line 3) subclasses keras.{base.removeprefix('keras.')}: a custom layer")
    assert COVERAGE_DOC in msg
    assert not marker.exists()


def test_python_refused_class_used_without_an_import_still_gets_the_reason() -> None:
    src = "import keras\nx = keras.Input((4,))\ny = Lambda(lambda t: t)(x)\nm = keras.Model(x, y)\n"
    with pytest.raises(GraphImportError) as exc:
        import_python(src)
    assert f"line 3: keras.layers.Lambda: refused: {REFUSED['Lambda']}" in str(exc.value)


@pytest.mark.keras
def test_a_real_keras_file_with_custom_layers_names_them_and_never_runs_them(tmp_path: Path, cli) -> None:  # type: ignore[no-untyped-def]
    """Keras' own serialization of a registered and an unregistered custom layer (what module and
    registered_name it writes): both are refused as custom, by name; their code never runs."""
    from builder.importers import import_file
    from builder.keras_edge.runtime import keras_module

    keras = keras_module()
    marker = tmp_path / "ran.txt"

    class Plain(keras.layers.Layer):  # not registered: Keras writes the defining module
        def call(self, x):  # type: ignore[no-untyped-def]
            return x

        @classmethod
        def from_config(cls, config):  # type: ignore[no-untyped-def]
            marker.write_text("ran")
            return cls(**config)

    @keras.saving.register_keras_serializable(package="kgb_test")
    class Scale(Plain):
        pass

    for cls, words in (
        (Scale, "(Scale): a custom layer class (registered as 'kgb_test>Scale')"),
        (Plain, "(Plain): a custom layer class (from module 'tests.importers.test_refused_layers')"),
    ):
        x = keras.Input((3,), name="x")
        path = tmp_path / f"{cls.__name__}.keras"
        keras.Model(x, cls(name="odd")(x)).save(path)
        with pytest.raises(GraphImportError) as exc:
            import_file(path)
        assert words in str(exc.value) and COVERAGE_DOC in str(exc.value)
        code, _, err = cli("import", str(path), "-o", str(tmp_path / "g.json"))
        assert code == 2 and words in err
    assert not marker.exists() and not (tmp_path / "g.json").exists()
