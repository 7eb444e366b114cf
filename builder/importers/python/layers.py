"""Keras layers as model code builds them: constructors (positional and keyword arguments, Keras 2
names, Keras 3 auto names), ``Input`` / ``InputLayer``, the functional helpers (``concatenate``...)
and layer calls, recorded in call order; a layer object called several times is one shared layer."""

from __future__ import annotations

from typing import Any

from ...core.catalog import catalog
from ...core.graph import MAX_NODES
from ...errors import GraphImportError
from ..common import keras_snake
from .config_values import config_value
from .diagnostics import Diagnostics
from .signatures import HELPERS, KERAS2_ONLY, KERAS2_ONLY_ANY, KERAS2_RENAMED, POSITIONAL
from .symbolic import LayerObj, Model, NodeRec, Tensor, describe

INPUT_SPEC_KEYS = ("input_shape", "batch_input_shape", "batch_size", "batch_shape")


class Layers:
    """The layer objects of one import and every call of them (``calls``, in call order)."""

    def __init__(self, diag: Diagnostics) -> None:
        self.diag = diag
        self.counters: dict[str, int] = {}
        self.calls: list[NodeRec] = []

    def fail(self, message: str, line: int | None = None) -> GraphImportError:
        return self.diag.fail(message, line)

    def auto_name(self, class_name: str) -> str:
        """The name Keras 3 gives an unnamed layer (``dense``, ``dense_1``...), counted in construction order."""
        prefix = "input_layer" if class_name == "Input" else keras_snake(class_name)
        n = self.counters.get(prefix, 0)
        self.counters[prefix] = n + 1
        return prefix if n == 0 else f"{prefix}_{n}"

    # ------------------------------------------------------------------ construction
    def make_layer(self, cls: str, ltype: str, args: list[Any], kwargs: dict[str, Any], line: int) -> LayerObj:
        t = catalog()[ltype]
        order = POSITIONAL.get(ltype) or tuple(n for n, p in t.params.items() if p.required)
        if len(args) > len(order):
            raise self.fail(
                f"{cls}() takes at most {len(order)} positional argument(s) here ({', '.join(order) or 'none'}); "
                f"received {len(args)}. Pass the others by keyword",
                line,
            )
        raw: dict[str, Any] = dict(zip(order, args))
        for k, v in kwargs.items():
            if k in raw:
                raise self.fail(f"{cls}() got multiple values for argument '{k}'", line)
            raw[k] = v
        name = raw.pop("name", None)
        if name is not None and not isinstance(name, str):
            raise self.fail(f"the name of a {cls} layer must be a string; got {describe(name)}", line)
        spec: dict[str, Any] = {}
        for key in INPUT_SPEC_KEYS:
            if key in raw:
                spec[key] = config_value(raw.pop(key), f"{cls} argument `{key}`", line)
        if "input_dim" in raw and ltype != "Embedding":
            spec["input_shape"] = (config_value(raw.pop("input_dim"), f"{cls} argument `input_dim`", line),)
        trainable = raw.pop("trainable", True)
        if trainable is not True:
            self.diag.note(
                f"{cls} layer: trainable={trainable!r} dropped (the builder has no trainable flag; its weights are "
                "counted as trainable)",
                line,
            )
        if "dtype" in raw:
            dtype = config_value(raw.pop("dtype"), f"{cls} argument `dtype`", line)
            if dtype not in (None, "float32"):
                self.diag.note(f"{cls} layer: dtype={dtype!r} dropped (the builder assumes float32)", line)
        if ltype == "Embedding" and raw.get("input_length") is not None and not spec:
            # Keras 2 built a Sequential model from the first Embedding's input_length.
            spec["input_shape"] = (config_value(raw["input_length"], f"{cls} argument `input_length`", line),)
        for old, new in KERAS2_RENAMED.get(ltype, {}).items():
            if old in raw:
                if new in raw:
                    raise self.fail(f"{cls}() got both `{old}` (its Keras 2 name) and `{new}`", line)
                raw[new] = raw.pop(old)
                self.diag.note(f"{cls}: the Keras 2 argument `{old}` is `{new}` in Keras 3 (renamed)", line)
        for key in sorted(KERAS2_ONLY.get(ltype, set()) | KERAS2_ONLY_ANY):
            if key in raw:
                raw.pop(key)
                self.diag.note(f"{cls}: the Keras 2 argument `{key}` was dropped (Keras 3 does not use it)", line)
        config: dict[str, Any] = {}
        for key, value in raw.items():
            config[key] = config_value(value, f"{cls} argument `{key}`", line)
        explicit = name is not None
        layer_name = name if explicit else self.auto_name(catalog()[ltype].keras.rsplit(".", 1)[-1])
        return LayerObj(ltype, layer_name, explicit, config, line, spec or None)

    def make_input(self, args: list[Any], kwargs: dict[str, Any], line: int) -> Tensor:
        layer = self.input_layer_obj(args, kwargs, line, "Input")
        return Tensor(self.new_node(layer, [], line))

    def input_layer_obj(self, args: list[Any], kwargs: dict[str, Any], line: int, what: str) -> LayerObj:
        if len(args) > 1:
            raise self.fail(f"{what}() takes the shape as its only positional argument; pass the others by keyword")
        kw = dict(kwargs)
        if args:
            if "shape" in kw:
                raise self.fail(f"{what}() got multiple values for argument 'shape'", line)
            kw["shape"] = args[0]
        if "tensor" in kw and kw["tensor"] is not None:
            raise self.fail(f"{what}(tensor=...) is not supported: give it a shape", line)
        shape = kw.pop("shape", None)
        if shape is None:
            shape = kw.pop("input_shape", None)
        batch_size = kw.pop("batch_size", None)
        batch_shape = kw.pop("batch_shape", None)
        if batch_shape is None:
            batch_shape = kw.pop("batch_input_shape", None)
        if batch_shape is not None:
            bs = config_value(batch_shape, f"{what} argument `batch_shape`", line)
            if not isinstance(bs, tuple) or not bs:
                raise self.fail(f"{what}: batch_shape must be a tuple such as (None, 32); got {bs!r}", line)
            batch_size, shape = bs[0], bs[1:]
        if shape is None:
            raise self.fail(f"{what}() needs a shape, e.g. shape=(32,)", line)
        shape = config_value(shape, f"{what} argument `shape`", line)
        if isinstance(shape, int) and not isinstance(shape, bool):
            raise self.fail(f"Cannot convert '{shape}' to a shape: write shape=({shape},)", line)
        if not isinstance(shape, tuple) or not all(
            d is None or (isinstance(d, int) and not isinstance(d, bool)) for d in shape
        ):
            raise self.fail(f"{what}: shape must be a tuple of integers or None; got {shape!r}", line)
        config: dict[str, Any] = {"shape": shape}
        dtype = config_value(kw.pop("dtype", None), f"{what} argument `dtype`", line)
        if dtype is not None:
            config["dtype"] = dtype
        if batch_size is not None:
            config["batch_size"] = config_value(batch_size, f"{what} argument `batch_size`", line)
        sparse = kw.pop("sparse", None)
        if sparse:
            config["sparse"] = True
        name = kw.pop("name", None)
        if name is not None and not isinstance(name, str):
            raise self.fail(f"the name of an Input must be a string; got {describe(name)}", line)
        for key in ("ragged", "optional", "tensor"):
            if kw.pop(key, None):
                self.diag.note(f"{what}: `{key}` dropped (not supported)", line)
        if kw:
            raise self.fail(f"{what}() got unexpected arguments: {', '.join(sorted(kw))}", line)
        return LayerObj("Input", name or self.auto_name("Input"), name is not None, config, line)

    def helper(self, name: str, args: list[Any], kwargs: dict[str, Any], line: int) -> Tensor:
        """``layers.concatenate([a, b])`` & co.: a new layer, called at once."""
        ltype = HELPERS[name]
        kw = dict(kwargs)
        inputs = kw.pop("inputs", None)
        rest = list(args)
        if inputs is None:
            if not rest:
                raise self.fail(f"layers.{name}() needs a list of tensors", line)
            inputs = rest.pop(0)
        second = {"Concatenate": "axis", "Dot": "axes"}.get(ltype)
        if second and rest:
            if second in kw:
                raise self.fail(f"{name}() got multiple values for argument '{second}'", line)
            kw[second] = rest.pop(0)
        if ltype == "Dot":
            kw.setdefault("axes", -1)  # layers.dot(inputs, axes=-1); the Dot class requires axes
        if rest:
            raise self.fail(
                f"layers.{name}() takes the list of tensors (and for concatenate / dot the axis); got more", line
            )
        cls = catalog()[ltype].keras.rsplit(".", 1)[-1]
        layer = self.make_layer(cls, ltype, [], kw, line)
        return self.call_layer(layer, [inputs], {}, line)

    # ------------------------------------------------------------------ calls
    def call_layer(
        self, layer: LayerObj, args: list[Any], kwargs: dict[str, Any], line: int, in_sequential: bool = False
    ) -> Tensor:
        if layer.type == "Input":
            raise self.fail(f"the InputLayer '{layer.name}' cannot be called; use keras.Input(shape=...)", line)
        if layer.input_spec and not in_sequential and not layer.called:
            self.diag.note(
                f"input_shape= on layer '{layer.name}' is ignored outside a Sequential model (as in Keras 3)", line
            )
        t = catalog()[layer.type]
        kw = dict(kwargs)
        states: list[Tensor] = []
        if t.state_inputs and kw.get("initial_state") is not None:
            value = kw.pop("initial_state")
            states = self.tensor_list(value, f"the initial_state of {layer.type} layer '{layer.name}'", line)
        kw.pop("initial_state", None)
        for key in sorted(t.call_params & set(kw)):
            value = config_value(kw.pop(key), f"the call argument `{key}`", line)
            if layer.called and layer.config.get(key, t.params[key].default) != value:
                raise self.fail(f"layer '{layer.name}' is called with two values of `{key}`; not supported", line)
            layer.config[key] = value
        who = f"{layer.type} layer '{layer.name}'"
        if t.call_ports:  # mha(query, value, key=k): tensors by position or by port name
            main = self.port_args(t.call_ports, args, kw, who, line)
        else:
            main = self.tensor_list(self.single_arg(args, kw, who, line), f"the input of {who}", line)
        if states and t.max_inputs is not None and len(main) != t.max_inputs:
            raise self.fail(f"{layer.type} layer '{layer.name}' takes one sequence tensor and an initial_state", line)
        sources = main + states
        node = self.new_node(layer, [s.node for s in sources], line)
        node.in_ports = [s.port for s in sources]
        ports = t.output_ports(layer.config)
        if len(ports) > 1:  # Keras returns a list: [output, h, c]
            return [Tensor(node, k) for k in range(len(ports))]  # type: ignore[return-value]
        return Tensor(node)

    def tensor_list(self, value: Any, what: str, line: int) -> list[Tensor]:
        """A tensor or a flat list of tensors, as tensors (each knows its output port)."""
        nodes = self.tensors(value, what, line)
        items = [value] if isinstance(value, Tensor) else list(value)
        return [Tensor(n, items[k].port) for k, n in enumerate(nodes)]

    # Call arguments that change no shape: dropped with a note (the graph keeps no call arguments).
    DROPPED_CALL_ARGS = ("training", "use_causal_mask")

    def port_args(
        self, ports: tuple[str, ...], args: list[Any], kwargs: dict[str, Any], who: str, line: int
    ) -> list[Tensor]:
        """The inputs of a layer called on several tensors (``mha(query, value, key=k)``): positional
        arguments in port order, or keywords named like the ports; the ports used must be a prefix."""
        if len(args) > len(ports):
            raise self.fail(
                f"{who} takes at most {len(ports)} tensors ({', '.join(ports)}); received {len(args)}", line
            )
        given: dict[str, Any] = dict(zip(ports, args))
        for key, value in kwargs.items():
            if key in ports:
                if key in given:
                    raise self.fail(f"{who} got multiple values for argument '{key}'", line)
                given[key] = value
            elif key in self.DROPPED_CALL_ARGS:
                if value not in (None, False):
                    self.diag.note(f"{who}: the call argument {key}={value!r} was dropped", line)
            elif value is None or (value is False and key == "return_attention_scores"):
                continue
            else:
                raise self.fail(f"calling {who} with `{key}=` is not supported", line)
        used = [p for p in ports if given.get(p) is not None]
        if list(ports[: len(used)]) != used:
            skipped = next(p for p in ports[: len(used)] if p not in used)
            raise self.fail(f"{who} is called with {', '.join(used)} but without `{skipped}`", line)
        out: list[Tensor] = []
        for port in used:
            value = given[port]
            if not isinstance(value, Tensor):
                raise self.fail(
                    f"the `{port}` of {who} must be a tensor (the result of Input(...) or of a layer call); "
                    f"got {describe(value)}",
                    line,
                )
            out.append(value)
        if not out:
            raise self.fail(f"{who} is called without tensors; expected {', '.join(ports)}", line)
        return out

    def single_arg(self, args: list[Any], kwargs: dict[str, Any], who: str, line: int) -> Any:
        kw = dict(kwargs)
        if not args and "inputs" in kw:
            args = [kw.pop("inputs")]
        for key, value in kw.items():
            if key in self.DROPPED_CALL_ARGS:
                if key == "training" or value not in (None, False):
                    self.diag.note(f"{who}: the call argument {key}={value!r} was dropped", line)
            elif (key == "mask" and value is None) or (key == "return_attention_scores" and value is False):
                continue
            else:
                raise self.fail(f"calling {who} with `{key}=` is not supported", line)
        if len(args) != 1:
            raise self.fail(
                f"{who} is called with {len(args)} arguments; expected one tensor or a list of tensors", line
            )
        return args[0]

    def tensors(self, value: Any, what: str, line: int) -> list[NodeRec]:
        if isinstance(value, Tensor):
            return [value.node]
        if isinstance(value, list | tuple):
            out = []
            for v in value:
                if not isinstance(v, Tensor):
                    raise self.fail(
                        f"{what} must be a tensor or a flat list of tensors; one item is {describe(v)}", line
                    )
                out.append(v.node)
            if not out:
                raise self.fail(f"{what} is an empty list", line)
            return out
        raise self.fail(
            f"{what} must be a tensor (the result of Input(...) or of a layer call); got {describe(value)}", line
        )

    def new_node(self, layer: LayerObj, sources: list[NodeRec], line: int) -> NodeRec:
        if len(self.calls) >= MAX_NODES:
            raise self.fail(f"the model has more than {MAX_NODES:,} layer calls", line)
        node = NodeRec(layer, sources, line)
        layer.called = True
        self.calls.append(node)
        return node

    # ------------------------------------------------------------------ reading back
    def output_of(self, layer: LayerObj, line: int) -> Tensor:
        """``layer.output``: defined for a layer called once."""
        calls = [n for n in self.calls if n.layer is layer]
        if len(calls) == 1:
            return Tensor(calls[0])
        raise self.fail(
            f"layer '{layer.name}' has {len(calls)} calls, hence the notion of 'layer output' is ill-defined", line
        )

    def layers_of(self, model: Model) -> list[LayerObj]:
        """``model.layers``: the layers of the calls between its inputs and outputs, in call order."""
        keep: set[int] = set()
        stack = [t.node for t in model.outputs] + [t.node for t in model.inputs]
        while stack:
            n = stack.pop()
            if id(n) not in keep:
                keep.add(id(n))
                stack.extend(n.inputs)
        out: list[LayerObj] = []
        for n in self.calls:
            if id(n) in keep and all(la is not n.layer for la in out):
                out.append(n.layer)
        return out
