"""A model of the Keras API, the :class:`.handler.Handler` the evaluator hands Keras values to.

It resolves ``keras`` / ``tensorflow.keras`` / ``keras.layers`` / ``keras.models`` names (Keras 2 paths
too), names model code uses without importing them, and calls: layer constructors and calls
(:mod:`.layers`), ``Input``, ``Model`` and ``Sequential`` (:mod:`.models`), Keras objects. Calls into
anything else are never run: they give opaque values.
"""

from __future__ import annotations

import ast
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ...core.refused import COVERAGE_DOC, refusal
from ...errors import GraphImportError
from ..common import class_to_type, unsupported_class_message
from .config_values import OBJECT_MODULES
from .diagnostics import Diagnostics
from .handler import Use
from .layers import Layers
from .models import Models
from .namespace import KerasRef, module_attr, module_value
from .signatures import HELPERS
from .symbolic import KerasObj, LayerObj, Model, ModelBase, Sequential, Tensor, describe, keras_text
from .values import Bound, Module, Opaque

MODEL_BASES = (("Model",), ("Layer",), ("Sequential",))


@dataclass(frozen=True)
class CustomLayerClass:
    """A class the source defines on a Keras layer class: code, which is never run."""

    name: str
    line: int
    base: str  # keras.layers.Layer, ...

    def message(self) -> str:
        return (
            f"{self.name} (line {self.line}) subclasses {self.base}: a custom layer is Python code, which the "
            f"builder never runs; build it from built-in layers ({COVERAGE_DOC} lists every keras.layers class "
            "and whether the builder covers it)"
        )


class KerasAPI:
    def __init__(self, diag: Diagnostics) -> None:
        self.diag = diag
        self.layers = Layers(diag)
        self.models = Models(diag, self.layers, self._iterate)
        self.star_layers = False  # from keras.layers import *
        self.implicit_noted: set[str] = set()
        self.iterate: Callable[[Any, ast.AST | None], list[Any]] | None = None  # the evaluator's

    def _iterate(self, value: Any) -> list[Any]:
        assert self.iterate is not None
        return self.iterate(value, None)

    def fail(self, message: str, line: int | None = None) -> GraphImportError:
        return self.diag.fail(message, line)

    # ------------------------------------------------------------------ names
    def import_module(self, dotted: str) -> Any:
        return module_value(dotted)

    def import_star(self, module: Any) -> None:
        if isinstance(module, KerasRef) and module.path in ((), ("layers",)):
            self.star_layers = True

    def undefined_name(self, name: str, line: int) -> Any | None:
        """Names a post uses without importing them (blog snippets often omit imports)."""
        implicit: KerasRef | Module | None = None
        if name in HELPERS or class_to_type(name) or name in ("InputLayer",) or refusal(name):
            implicit = KerasRef(("layers", name))
        elif name in ("Input", "Model", "Sequential"):
            implicit = KerasRef((name,))
        elif name == "layers":
            implicit = KerasRef(("layers",))
        elif name == "keras":
            implicit = KerasRef(())
        elif name == "tf":
            implicit = Module("tensorflow")
        elif self.star_layers and name[:1].isupper():
            implicit = KerasRef(("layers", name))
        if implicit is not None and not self.star_layers and name not in self.implicit_noted:
            self.implicit_noted.add(name)
            where = implicit.dotted() if isinstance(implicit, KerasRef) else implicit.path
            self.diag.note(f"`{name}` is not imported; assuming {where}", line)
        return implicit

    def attribute(self, obj: Any, attr: str, line: int) -> Any:
        if isinstance(obj, KerasRef):
            return obj.attr(attr)
        if isinstance(obj, Module):
            return module_attr(obj, attr)
        if isinstance(obj, ModelBase):
            return self.models.attribute(obj, attr)
        if isinstance(obj, LayerObj):
            if attr == "output":
                return self.layers.output_of(obj, line)
            if attr == "name":
                return obj.name
            return Opaque(f"{obj.name}.{attr}", line)
        if isinstance(obj, Tensor):
            return Opaque(f"tensor.{attr}", line, why="tensor attributes (shapes) are not known while importing")
        return Opaque(f".{attr}", line)

    def assigned_attribute(self, attr: str, line: int) -> None:
        if attr == "trainable":
            self.diag.note("setting `trainable` is not imported (the builder has no trainable flag)", line)

    def class_def(self, name: str, bases: list[Any], line: int) -> Any | None:
        custom: CustomLayerClass | None = None
        for b in bases:
            if isinstance(b, KerasRef) and b.canon[-1:] in MODEL_BASES:
                self.models.subclassed.append((name, line))
            if isinstance(b, KerasRef) and (b.canon[:1] == ("layers",) or b.canon == ("Layer",)) and custom is None:
                custom = CustomLayerClass(name, line, b.dotted())
        return custom

    # ------------------------------------------------------------------ uses of Keras values
    def misuse(self, value: Any, use: Use, count: int = 0) -> str | None:
        if not isinstance(value, Tensor):
            return None
        if use == "unpack":
            return (
                f"the layer '{value.node.layer.name}' returns one tensor; it cannot be unpacked into "
                f"{count} names (only calls with several outputs, such as an RNN with return_state=True, "
                "return a list)"
            )
        if use == "binary":
            return (
                "arithmetic on tensors (such as x + y) is not supported: use layers.Add(), layers.Subtract() or "
                "layers.Multiply()"
            )
        if use == "unary":
            return "arithmetic on tensors is not supported"
        if use == "index":
            return "indexing or slicing a tensor (x[...]) is not supported: use layers such as Reshape or Cropping"
        return "a tensor cannot be used as a boolean"

    def format_value(self, value: Any) -> Any:
        return value.name if isinstance(value, LayerObj) else value

    def describe(self, value: Any) -> str | None:
        return keras_text(value)

    # ------------------------------------------------------------------ calls
    def call(self, func: Any, args: list[Any], kwargs: dict[str, Any], line: int) -> Any:
        if isinstance(func, KerasRef):
            return self.keras_call(func, args, kwargs, line)
        if isinstance(func, LayerObj):
            return self.layers.call_layer(func, args, kwargs, line)
        if isinstance(func, CustomLayerClass):
            raise self.fail(func.message(), line)
        if isinstance(func, Sequential):
            return self.models.call_sequential(func, args, kwargs, line)
        if isinstance(func, Model):
            raise self.fail(
                f"a functional Model (line {func.line}) is called as a layer: nested models are not supported; "
                "build one flat model",
                line,
            )
        if isinstance(func, Bound) and isinstance(func.obj, ModelBase):
            return self.models.method(func.obj, func.name, args, kwargs, line)
        if isinstance(func, KerasObj):
            return Opaque(f"a call of keras.{func.module}.{func.cls}", line)
        raise self.fail(f"{describe(func)} is not callable", line)

    def keras_call(self, ref: KerasRef, args: list[Any], kwargs: dict[str, Any], line: int) -> Any:
        canon = ref.canon
        head = canon[0] if canon else ""
        if canon == ("Input",):
            return self.layers.make_input(args, kwargs, line)
        if canon in (("layers", "InputLayer"), ("InputLayer",)):
            return self.layers.input_layer_obj(args, kwargs, line, "InputLayer")
        if canon in (("Model",), ("Functional",)):
            return self.models.make_model(args, kwargs, line)
        if canon == ("Sequential",):
            return self.models.make_sequential(args, kwargs, line)
        if head == "layers" and len(canon) >= 2:
            name = canon[-1]
            if name in HELPERS and len(canon) == 2:
                return self.layers.helper(name, args, kwargs, line)
            ltype = class_to_type(name)
            if ltype is None or ltype == "Input":
                raise self.fail(f"keras.layers.{unsupported_class_message(name)}", line)
            return self.layers.make_layer(name, ltype, args, kwargs, line)
        if head in ("optimizers", "losses", "metrics") and len(canon) == 2:
            return KerasObj(head, canon[1], args, kwargs)
        if head in OBJECT_MODULES and len(canon) == 2:
            return KerasObj(head, canon[1], args, kwargs)
        if head == "applications" and canon[-1][:1].isupper():
            raise self.fail(
                f"{ref.dotted()}(...) builds a model in Keras itself; the importer does not run Keras. Save it with "
                "model.save('model.keras') and import the .keras file",
                line,
            )
        if canon[-1:] == ("load_model",) or canon[-1:] == ("model_from_json",):
            raise self.fail(f"{ref.dotted()}(...) reads a model at run time; import that file instead", line)
        return Opaque(f"{ref.dotted()}(...)", line, True)
