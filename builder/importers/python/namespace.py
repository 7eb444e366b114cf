"""The Keras namespace as model code names it: ``keras``, ``tensorflow.keras``, ``tf_keras`` and the
Keras 2 paths (``keras.layers.core``, ``keras.engine.training``...) that only re-export."""

from __future__ import annotations

from dataclasses import dataclass

from .values import Module

# Keras 2 sub-modules of keras.layers / keras.engine that only re-export.
LAYER_SUBMODULES = {
    "core", "convolutional", "recurrent", "merge", "merging", "embeddings", "pooling", "normalization",
    "advanced_activations", "activation", "noise", "local", "wrappers", "cudnn_recurrent", "reshaping",
    "regularization", "rnn", "attention", "normalization_v2", "serialization", "layers",
}  # fmt: skip
ENGINE_SUBMODULES = {"input_layer", "training", "functional", "sequential", "base_layer", "topology", "keras_tensor"}


@dataclass(frozen=True)
class KerasRef:
    """A name in the Keras namespace, e.g. ("layers", "Dense"); () is ``keras`` itself."""

    path: tuple[str, ...]

    def attr(self, name: str) -> KerasRef:
        p = self.path
        if name == "src" and p == ():
            return self
        if p == ("layers",) and name in LAYER_SUBMODULES:
            return self
        if p == () and name == "engine":
            return KerasRef(("engine",))
        if p == ("engine",) and name in ENGINE_SUBMODULES:
            return self
        return KerasRef(p + (name,))

    @property
    def canon(self) -> tuple[str, ...]:
        p = self.path
        if len(p) == 2 and p[0] in ("engine", "models"):
            return (p[1],)
        if p == ("layers", "Input"):
            return ("Input",)
        return p

    def dotted(self) -> str:
        return ".".join(("keras",) + self.path)


def module_attr(module: Module, name: str) -> KerasRef | Module:
    """``module.name`` for a module outside Keras (``tf.keras`` is Keras)."""
    if module.path == "tensorflow" and name == "keras":
        return KerasRef(())
    return Module(f"{module.path}.{name}")


def module_value(dotted: str) -> KerasRef | Module:
    """The value an import binds: a Keras namespace reference, or an opaque module."""
    parts = dotted.split(".")
    if parts[:2] == ["tensorflow", "python"]:
        parts = parts[2:]
    elif parts[0] == "tensorflow":
        parts = parts[1:]
        if not parts:
            return Module("tensorflow")
    if not parts or parts[0] not in ("keras", "tf_keras"):
        return Module(dotted)
    ref = KerasRef(())
    for p in parts[1:]:
        ref = ref.attr(p)
    return ref
