"""Exports that need Keras: Keras JSON, a ``.keras`` file, a ``plot_model`` PNG."""

from __future__ import annotations

from pathlib import Path

from ..core.graph import Graph
from ..errors import ExportError
from .build import build
from .runtime import keras_module


def to_keras_json(graph: Graph, indent: int | None = 2) -> str:
    """The Keras model config as JSON (``model.to_json()``); reload it with
    ``keras.models.model_from_json``."""
    model = build(graph).model
    try:
        return model.to_json(indent=indent) + "\n"
    except Exception as exc:
        raise ExportError(f"Keras could not serialise the model: {type(exc).__name__}: {exc}") from None


def save_keras(graph: Graph, path: str | Path) -> Path:
    """``model.save(path)``: architecture and (freshly initialised) weights. ``path`` must end
    in ``.keras``, as Keras requires."""
    path = Path(path)
    if path.suffix != ".keras":
        raise ExportError(f"a Keras model file must end in .keras, got {path.name!r}")
    model = build(graph).model
    try:
        model.save(path)
    except OSError as exc:
        raise ExportError(f"cannot write {path}: {exc.strerror or exc}") from None
    except Exception as exc:
        raise ExportError(f"Keras could not save the model: {type(exc).__name__}: {exc}") from None
    return path


def plot_png(graph: Graph, path: str | Path, *, dpi: int = 96) -> Path:
    """``keras.utils.plot_model`` with shapes (needs pydot and graphviz' ``dot``)."""
    import shutil

    path = Path(path)
    if shutil.which("dot") is None:
        raise ExportError("the PNG export needs graphviz: install it (Debian: apt-get install graphviz)")
    try:
        import pydot  # noqa: F401
    except ImportError:
        raise ExportError("the PNG export needs pydot: pip install pydot") from None
    model = build(graph).model
    keras = keras_module()

    try:
        keras.utils.plot_model(
            model,
            to_file=str(path),
            show_shapes=True,
            show_layer_names=True,
            dpi=dpi,
        )
    except Exception as exc:
        raise ExportError(f"plot_model failed: {type(exc).__name__}: {exc}") from None
    if not path.exists() or path.stat().st_size == 0:
        raise ExportError("plot_model wrote no image (is graphviz' dot working?)")
    return path
