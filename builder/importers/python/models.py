"""Keras models as model code builds them: ``Model(inputs, outputs)``, ``Sequential`` (with ``.add``,
``.pop``, nesting, ``input_shape=`` on the first layer), their attributes and methods (``compile`` and
``fit`` are recorded, the rest skipped), and which of several models is the one imported."""

from __future__ import annotations

import ast
from collections.abc import Callable
from dataclasses import replace
from typing import Any

from ...errors import GraphImportError
from .compile_fit import compile_settings, fit_settings
from .diagnostics import Diagnostics
from .layers import Layers
from .symbolic import LayerObj, Model, ModelBase, Sequential, Tensor, describe
from .values import Bound, Opaque

# Calls on models that do not build anything.
MODEL_METHODS_SKIPPED = {
    "summary", "save", "save_weights", "load_weights", "predict", "evaluate", "to_json", "get_config",
    "count_params", "plot_model", "predict_on_batch", "test_on_batch", "export", "build", "get_layer",
    "get_output_at", "get_input_at", "get_input_shape_at", "get_output_shape_at",
}  # fmt: skip
MODEL_CLASSES = ("Model", "Sequential", "Functional")


def builds_model(fn: ast.FunctionDef) -> bool:
    """Whether a function's body calls ``Model(...)`` / ``Sequential(...)`` (by name, without evaluating it)."""
    for node in ast.walk(fn):
        if isinstance(node, ast.Call):
            f = node.func
            name = f.id if isinstance(f, ast.Name) else f.attr if isinstance(f, ast.Attribute) else None
            if name in MODEL_CLASSES:
                return True
    return False


class Models:
    """The models of one import (in construction order) and the subclassed ones it cannot import."""

    def __init__(self, diag: Diagnostics, layers: Layers, iterate: Callable[[Any], list[Any]]) -> None:
        self.diag = diag
        self.layers = layers
        self.iterate = iterate
        self.models: list[ModelBase] = []
        self.subclassed: list[tuple[str, int]] = []

    def fail(self, message: str, line: int | None = None) -> GraphImportError:
        return self.diag.fail(message, line)

    # ------------------------------------------------------------------ functional
    def make_model(self, args: list[Any], kwargs: dict[str, Any], line: int) -> Model:
        kw = dict(kwargs)
        if len(args) > 2:
            raise self.fail("Model() takes inputs and outputs as its positional arguments", line)
        inputs = args[0] if args else kw.pop("inputs", None)
        outputs = args[1] if len(args) > 1 else kw.pop("outputs", None)
        if inputs is None or outputs is None:
            raise self.fail("Model() needs inputs= and outputs= (subclassed models cannot be imported)", line)
        name = kw.pop("name", None)
        if name is not None and not isinstance(name, str):
            raise self.fail("the model name must be a string", line)
        ins, _ = self.structure(inputs, "inputs", line)
        outs, keys = self.structure(outputs, "outputs", line)
        for t in ins:
            if t.node.layer.type != "Input":
                raise self.fail(
                    f"model inputs must come from keras.Input(...); one is the output of layer '{t.node.layer.name}'",
                    line,
                )
        model = Model(line=line, name=name, inputs=ins, outputs=outs, output_keys=keys)
        self.models.append(model)
        return model

    def structure(self, value: Any, what: str, line: int) -> tuple[list[Tensor], list[str | None]]:
        """The tensors of ``inputs=`` / ``outputs=`` and, for a dict, their keys."""
        if isinstance(value, Tensor):
            return [value], [None]
        if isinstance(value, dict):
            items = list(value.items())
            for _, v in items:
                if not isinstance(v, Tensor):
                    raise self.fail(f"model {what}: every value must be a tensor; one is {describe(v)}", line)
            return [v for _, v in items], [str(k) for k, _ in items]
        if isinstance(value, list | tuple):
            for v in value:
                if not isinstance(v, Tensor):
                    raise self.fail(f"model {what}: every item must be a tensor; one is {describe(v)}", line)
            if not value:
                raise self.fail(f"model {what} is an empty list", line)
            return list(value), [None] * len(value)
        raise self.fail(f"model {what} must be a tensor, a list or a dict of tensors; got {describe(value)}", line)

    # ------------------------------------------------------------------ Sequential
    def make_sequential(self, args: list[Any], kwargs: dict[str, Any], line: int) -> Sequential:
        kw = dict(kwargs)
        items = args[0] if args else kw.pop("layers", None)
        name = kw.pop("name", None)
        seq = Sequential(line=line, name=name if isinstance(name, str) else None)
        if items is not None:
            for item in self.iterate(items):
                self.seq_add(seq, item, line)
        self.models.append(seq)
        return seq

    def seq_add(self, seq: Sequential, item: Any, line: int) -> None:
        if seq.built is not None:
            raise self.fail("layers added to a Sequential model after it was used are not supported", line)
        if isinstance(item, Tensor) and item.node.layer.type == "Input" and not item.node.inputs:
            if seq.items or seq.input_node or seq.input_layer:
                raise self.fail("keras.Input(...) must be the first item of a Sequential model", line)
            seq.input_node = item.node
            return
        if isinstance(item, LayerObj) and item.type == "Input":
            if seq.items or seq.input_node or seq.input_layer:
                raise self.fail("an InputLayer must be the first item of a Sequential model", line)
            seq.input_layer = item
            return
        if isinstance(item, LayerObj):
            if not seq.items and seq.input_node is None and seq.input_layer is None and item.input_spec:
                spec = item.input_spec
                shape = spec.get("input_shape")
                batch = spec.get("batch_input_shape") or spec.get("batch_shape")
                kw: dict[str, Any] = {"batch_shape": batch} if batch else {"shape": shape}
                if spec.get("batch_size") is not None and not batch:
                    kw["batch_size"] = spec["batch_size"]
                seq.input_layer = self.layers.input_layer_obj([], kw, line, "input_shape")
                if item.type == "Embedding" and "input_length" not in item.config and "input_shape" in spec:
                    self.diag.note(
                        f"the input shape {spec['input_shape']} of the Sequential model comes from the Embedding's "
                        "input_length (Keras 2 behaviour; Keras 3 needs keras.Input(shape=...))",
                        line,
                    )
            seq.items.append(item)
            return
        if isinstance(item, Sequential):
            self.diag.note(f"a Sequential model (line {item.line}) inside a Sequential: its layers are inlined", line)
            for layer in item.items:
                self.seq_add(seq, layer, line)
            return
        raise self.fail(f"Sequential models take layers; got {describe(item)}", line)

    def seq_input_check(self, seq: Sequential, line: int) -> None:
        if not seq.items:
            raise self.fail(f"the Sequential model at line {seq.line} has no layers", line)

    def call_sequential(self, seq: Sequential, args: list[Any], kwargs: dict[str, Any], line: int) -> Tensor:
        """A Sequential model called as a layer: its layers are called in turn."""
        tensor = self.layers.single_arg(args, kwargs, f"the Sequential model at line {seq.line}", line)
        self.diag.note(f"a Sequential model (line {seq.line}) is called as a layer: its layers are inlined", line)
        self.seq_input_check(seq, line)
        for layer in seq.items:
            tensor = self.layers.call_layer(layer, [tensor], {}, line, in_sequential=True)
        return tensor

    def build_sequential(self, seq: Sequential) -> Model:
        if seq.built is not None:
            return seq.built
        self.seq_input_check(seq, seq.line)
        if seq.input_node is not None:
            node = seq.input_node
        elif seq.input_layer is not None:
            node = self.layers.new_node(seq.input_layer, [], seq.input_layer.line)
        else:
            raise self.fail(
                "the Sequential model has no input shape: add input_shape=... to its first layer or start it with "
                "keras.Input(shape=...)",
                seq.line,
            )
        tensor = Tensor(node)
        for layer in seq.items:
            tensor = self.layers.call_layer(layer, [tensor], {}, layer.line, in_sequential=True)
        seq.built = Model(line=seq.line, name=seq.name, inputs=[Tensor(node)], outputs=[tensor], output_keys=[None])
        return seq.built

    def functional(self, model: ModelBase) -> Model:
        if isinstance(model, Sequential):
            return self.build_sequential(model)
        assert isinstance(model, Model)
        return model

    # ------------------------------------------------------------------ attributes and methods
    def attribute(self, model: ModelBase, attr: str) -> Any:
        if attr in ("input", "inputs", "output", "outputs"):
            built = self.functional(model)
            tensors = built.inputs if attr.startswith("input") else built.outputs
            if attr in ("input", "output") and len(tensors) == 1:
                return tensors[0]
            return list(tensors)
        if attr == "layers":
            return self.layers.layers_of(self.functional(model))
        return Bound(model, attr)

    def method(self, model: ModelBase, name: str, args: list[Any], kwargs: dict[str, Any], line: int) -> Any:
        if name == "compile":
            settings = compile_settings(args, kwargs, line, self.diag.note)
            model.compiles.append((line, settings))
            return None
        if name in ("fit", "fit_generator", "train_on_batch"):
            if model.at_fit is None:
                current = model.compiles[-1][1] if model.compiles else None
                model.at_fit = (line, current)
                model.fit_settings = fit_settings(args, kwargs)
            return Opaque("the training history", line)
        if name == "add" and isinstance(model, Sequential):
            if len(args) != 1:
                raise self.fail("Sequential.add() takes one layer", line)
            self.seq_add(model, args[0], line)
            return None
        if name == "pop" and isinstance(model, Sequential):
            if model.items:
                model.items.pop()
            return None
        if name in MODEL_METHODS_SKIPPED:
            return Opaque(f"model.{name}(...)", line)
        return Opaque(f"model.{name}(...)", line, True)

    # ------------------------------------------------------------------ the model imported
    def pick(self) -> Model:
        """The model to import: the last compiled one, else the last one, else every layer call."""
        models = self.models
        if not models:
            if self.subclassed:
                cname, line = self.subclassed[0]
                raise self.fail(
                    f"class {cname} subclasses a Keras Model/Layer: subclassed models have no static graph to "
                    "import; write the model with the functional API",
                    line,
                )
            if any(n.layer.type != "Input" for n in self.layers.calls):
                return self.fallback()
            raise GraphImportError(
                "no model found: the code never calls keras.Model(...) or Sequential(...) on layers it builds"
            )
        compiled = [m for m in models if m.compiles]
        chosen = compiled[-1] if compiled else models[-1]
        if len(models) > 1:
            lines = ", ".join(str(m.line) for m in models)
            self.diag.note(
                f"the code builds {len(models)} models (lines {lines}); imported the one at line {chosen.line}"
                + (" (the compiled one)" if compiled else " (the last one)"),
                chosen.line,
            )
        if isinstance(chosen, Sequential):
            built = self.build_sequential(chosen)
            return replace(built, compiles=chosen.compiles, at_fit=chosen.at_fit, fit_settings=chosen.fit_settings)
        assert isinstance(chosen, Model)
        return chosen

    def fallback(self) -> Model:
        calls = self.layers.calls
        used = {id(src) for n in calls for src in n.inputs}
        inputs = [Tensor(n) for n in calls if n.layer.type == "Input"]
        outputs = [Tensor(n) for n in calls if id(n) not in used and n.layer.type != "Input"]
        self.diag.note(
            "the code never calls keras.Model(...): the import uses every Input as a model input and every "
            "result no layer consumes as a model output",
            None,
        )
        return Model(line=0, name=None, inputs=inputs, outputs=outputs, output_keys=[None] * len(outputs))
