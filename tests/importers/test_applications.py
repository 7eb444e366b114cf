"""keras.applications models: .keras -> graph -> Python -> exec rebuilds the same model."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.keras
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

ROOT = Path(__file__).resolve().parents[2]


def _layer_summary(model):
    out = []
    for layer in model.layers:
        cfg = layer.get_config()
        cfg.pop("name", None)
        for key in ("dtype", "trainable", "batch_shape", "sparse", "ragged", "optional"):
            cfg.pop(key, None)
        out.append((layer.name, type(layer).__name__, layer.count_params(), str(sorted(cfg.items()))))
    return out


@pytest.mark.parametrize("app", ["ResNet50", "MobileNetV2"])
def test_application_round_trips_through_keras_file_and_python(app, tmp_path):
    import keras

    from builder.codegen import to_python
    from builder.core.validate import validate
    from builder.importers import import_file

    original = getattr(keras.applications, app)(weights=None)
    path = tmp_path / f"{app}.keras"
    original.save(path)

    # The CLI import (never imports TensorFlow itself) writes an editable graph.
    graph_path = tmp_path / "graph.json"
    proc = subprocess.run(
        [sys.executable, "-m", "builder", "import", str(path), "-o", str(graph_path)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stderr
    graph = import_file(path).graph
    report = validate(graph)
    assert report.ok
    trainable = sum(int(w.numpy().size) for w in original.trainable_weights)
    assert (report.params.total, report.params.trainable) == (original.count_params(), trainable)
    node_of = {graph.node_label(n.id): n.id for n in graph.nodes}
    for layer in original.layers:  # every node's shape equals Keras'
        assert report.shapes[node_of[layer.name]] == tuple(layer.output.shape), layer.name

    namespace: dict = {}
    exec(compile(to_python(graph), f"<{app}>", "exec"), namespace)  # our generated code, not user input
    rebuilt = namespace["build_model"]()
    assert rebuilt.count_params() == original.count_params()
    assert _layer_summary(rebuilt) == _layer_summary(original)
    assert [tuple(o.shape) for o in rebuilt.outputs] == [tuple(o.shape) for o in original.outputs]
