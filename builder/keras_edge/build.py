"""Graph -> ``keras.Model`` (the functional API), with Keras' own errors mapped back to nodes.

:func:`build_model` validates first and refuses a graph with errors
(:class:`~builder.errors.CompileError` carries the validator's issues). It then builds one Keras
layer per graph layer (a shared layer is *one* instance called several times), calls it once per
node in the call order of :mod:`builder.core.order`, and makes a ``keras.Model`` with the graph's
inputs and outputs in their order and the graph's layer names. Anything Keras still raises is
reported as an :class:`Issue` with code ``keras_error`` on the node being built, never as a raw
traceback.

:func:`compile_for_training` also calls ``model.compile`` with the
:class:`~builder.core.compile_spec.CompileSpec` of ``graph.training``.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

from ..core.catalog import Catalog, LayerType, catalog, inner_layer
from ..core.compile_spec import CompileSpec, compile_spec, layer_kwargs
from ..core.graph import Graph
from ..core.order import build_order
from ..core.validate import Issue, Report, validate
from ..errors import CompileError
from .probe import channels_first_conv
from .runtime import keras_module

if TYPE_CHECKING:  # pragma: no cover
    import keras

MAX_RECURSION = 200_000


@dataclass
class Built:
    """A compiled graph: the model, and the Keras tensor of every built node and the Keras
    layer of every layer (one object for a shared layer)."""

    model: keras.Model
    tensors: dict[str, Any]  # node -> its (first) output tensor
    layers: dict[str, Any]
    report: Report
    # node -> every output tensor, for calls with several outputs (an LSTM with return_state)
    port_tensors: dict[str, list[Any]] = field(default_factory=dict)


def _keras_class(keras_mod: Any, path: str, type_name: str) -> Any:
    obj: Any = None
    if path.startswith("keras."):
        obj = keras_mod
        for part in path.split(".")[1:]:
            obj = getattr(obj, part, None)
            if obj is None:
                break
    if obj is None:
        obj = getattr(keras_mod.layers, type_name, None)
    return obj


def keras_kwargs(keras_mod: Any, cat: Catalog, ltype: LayerType, config: dict[str, Any]) -> dict[str, Any]:
    """A layer's constructor arguments: its config, with each wrapped layer (kind ``layer``,
    ``{"type", "config"}``) made into the Keras layer object the wrapper takes."""
    out = dict(config)
    for key, value in config.items():
        param = ltype.params.get(key)
        if param is None or param.kind != "layer" or value is None:
            continue
        inner = inner_layer(value)
        if inner is None:
            raise ValueError(f"`{key}` is not a layer: {value!r}")
        inner_type = cat[inner[0]]
        cls = _keras_class(keras_mod, inner_type.keras, inner_type.type)
        out[key] = cls(**keras_kwargs(keras_mod, cat, inner_type, dict(inner[1])))
    return out


def _short(exc: BaseException, limit: int = 600) -> str:
    text = " ".join(str(exc).split())
    if len(text) > limit:
        text = text[: limit - 3] + "..."
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


def build(graph: Graph, cat: Catalog | None = None) -> Built:
    """Validate and build. Raises :class:`CompileError` (never a raw Keras traceback)."""
    cat = cat or catalog()
    # Training settings do not affect the architecture: they are checked by compile_for_training.
    report = validate(replace(graph, training=None), cat)
    if not report.ok:
        raise CompileError(report.errors)
    try:
        order = build_order(graph)
    except ValueError as exc:
        raise CompileError([Issue(None, None, "error", "cycle", str(exc))]) from None

    keras = keras_module()
    if any(
        layer.type.startswith("Conv") and layer.config.get("data_format") == "channels_first" for layer in graph.layers
    ):
        channels_first_conv()  # records whether this machine runs it: the validator then warns

    klayers: dict[str, Any] = {}
    tensors: dict[str, Any] = {}
    port_tensors: dict[str, list[Any]] = {}
    for nid in order:
        node = graph.node_by_id[nid]
        layer = graph.layer_by_id[node.layer]
        ltype = cat[layer.type]
        kwargs, call_kwargs = ltype.split_config(layer_kwargs(graph, layer.id))
        if ltype.is_input:
            try:
                shape = tuple(kwargs.pop("shape"))
                tensors[nid] = keras.Input(shape=shape, name=layer.name, **kwargs)
            except Exception as exc:
                raise _keras_error(nid, f"Keras refused Input '{layer.name}'", exc) from None
            klayers[layer.id] = tensors[nid]._keras_history[0]
            continue
        klayer = klayers.get(layer.id)
        if klayer is None:
            cls = _keras_class(keras, ltype.keras, layer.type)
            if cls is None:
                raise CompileError(
                    [
                        Issue(
                            nid,
                            None,
                            "error",
                            "keras_error",
                            f"This Keras has no layer class {ltype.keras} (layer '{layer.name}').",
                        )
                    ]
                )
            try:
                klayer = cls(**keras_kwargs(keras, cat, ltype, kwargs), name=layer.name)
            except Exception as exc:
                raise _keras_error(nid, f"Keras refused the config of {layer.type} layer '{layer.name}'", exc) from None
            klayers[layer.id] = klayer
        # Each edge carries output ``source_port`` of its source (a multi-output call gives a list).
        sources = [_port(tensors, port_tensors, e.source, e.source_port) for e in graph.in_edges.get(nid, [])]
        main, states = ltype.split_inputs(sources)
        if states:
            call_kwargs["initial_state"] = states
        try:
            result = klayer(*ltype.call_arguments(main), **call_kwargs)
            if isinstance(result, list | tuple):
                port_tensors[nid] = list(result)
                result = result[0]
            tensors[nid] = result
        except Exception as exc:
            raise _keras_error(nid, f"Keras could not call {layer.type} layer '{graph.node_label(nid)}'", exc) from None

    ins = [tensors[i] for i in graph.inputs]
    outs = [_port(tensors, port_tensors, o, p) for o, p in graph.output_refs()]
    # Keras walks the graph recursively (about one Python frame per layer of depth): give deep
    # graphs room instead of a RecursionError at ~1,000 layers.
    old_limit = sys.getrecursionlimit()
    sys.setrecursionlimit(max(old_limit, min(5_000 + 3 * len(order), MAX_RECURSION)))
    try:
        model = keras.Model(
            inputs=ins[0] if len(ins) == 1 else ins,
            outputs=outs[0] if len(outs) == 1 else outs,
            name=graph.name,
        )
    except Exception as exc:
        raise CompileError(
            [Issue(None, None, "error", "keras_error", f"Keras refused the model: {_short(exc)}")]
        ) from None
    finally:
        sys.setrecursionlimit(old_limit)
    return Built(model=model, tensors=tensors, layers=klayers, report=report, port_tensors=port_tensors)


def _port(tensors: dict[str, Any], port_tensors: dict[str, list[Any]], node: str, port: int) -> Any:
    """Output ``port`` of a node's call."""
    return port_tensors[node][port] if node in port_tensors else tensors[node]


def _keras_error(node: str, what: str, exc: BaseException) -> CompileError:
    return CompileError([Issue(node, None, "error", "keras_error", f"{what}: {_short(exc)}")])


def build_model(graph: Graph, *, training: bool = False) -> keras.Model:
    """Build the graph as a ``keras.Model``. With ``training=True``, also ``model.compile`` it
    from ``graph.training`` (see :func:`compile_for_training`)."""
    if training:
        return compile_for_training(graph)
    return build(graph).model


def make_optimizer(spec: CompileSpec) -> Any:
    keras = keras_module()

    if spec.learning_rate is None:
        return spec.optimizer
    cls = getattr(keras.optimizers, spec.optimizer_class())
    return cls(learning_rate=spec.learning_rate)


def compile_kwargs(spec: CompileSpec) -> dict[str, Any]:
    """The keyword arguments for ``model.compile`` (needs Keras for an optimizer object)."""
    kwargs: dict[str, Any] = {
        "optimizer": make_optimizer(spec),
        "loss": spec.loss,
        "loss_weights": spec.loss_weights,
    }
    if spec.metrics is not None:
        kwargs["metrics"] = spec.metrics
    return kwargs


def compile_for_training(graph: Graph) -> keras.Model:
    """Build the model and ``model.compile`` it with one loss and one loss weight per output."""
    spec = compile_spec(graph)
    model = build(graph).model
    try:
        model.compile(**compile_kwargs(spec))
    except Exception as exc:
        raise CompileError(
            [Issue(None, None, "error", "keras_error", f"Keras refused the training settings: {_short(exc)}")]
        ) from None
    return model
