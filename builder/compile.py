"""Graph -> ``keras.Model`` (the functional API), with Keras' own errors mapped back to nodes.

``compile_graph(graph)`` validates first and refuses a graph with errors (:class:`CompileError`
carries the validator's issues). It then builds one Keras layer per graph layer (a shared layer
is *one* instance called several times), calls it once per node in topological order, and
makes a ``keras.Model`` with the graph's inputs and outputs in their order and the graph's
layer names. Anything Keras still raises is reported as an :class:`Issue` with code
``keras_error`` on the node being built, never as a raw traceback.

``compile_for_training(graph)`` also calls ``model.compile`` from ``graph.training`` with one
loss and one loss weight per named output (:func:`compile_spec`, shared with code export).

Keras is imported lazily, inside the functions that need it.
"""

from __future__ import annotations

import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

from . import settings
from .catalog import Catalog, catalog
from .graph import Graph
from .order import build_order, live_nodes  # noqa: F401  (re-exported)
from .validate import Issue, Report, validate

if TYPE_CHECKING:  # pragma: no cover
    import keras

OPTIMIZER_CLASSES = {
    "adam": "Adam",
    "adamw": "AdamW",
    "rmsprop": "RMSprop",
    "sgd": "SGD",
    "adagrad": "Adagrad",
    "adadelta": "Adadelta",
    "adamax": "Adamax",
    "nadam": "Nadam",
    "ftrl": "Ftrl",
    "lion": "Lion",
}
DEFAULT_OPTIMIZER = "rmsprop"  # model.compile's own default
MAX_RECURSION = 200_000


class CompileError(Exception):
    """The graph cannot become a Keras model. ``issues`` says where and why (validator issues,
    or one ``keras_error`` issue naming the node whose layer Keras refused)."""

    def __init__(self, issues: Sequence[Issue], message: str | None = None) -> None:
        self.issues: list[Issue] = list(issues)
        if message is None:
            if len(self.issues) == 1:
                message = self.issues[0].message
            else:
                first = self.issues[0].message if self.issues else "unknown problem"
                message = f"{len(self.issues)} errors; the first: {first}"
        super().__init__(message)


# --------------------------------------------------------------------------- pure helpers


def layer_kwargs(graph: Graph, layer_id: str) -> dict[str, Any]:
    """The keyword arguments the layer's constructor gets: its config as stored (tuples for
    lists), without ``name``."""
    return dict(graph.layer_by_id[layer_id].config)


@dataclass(frozen=True)
class CompileSpec:
    """What ``model.compile`` gets, as plain data (code export writes it out as source).

    ``loss`` and ``loss_weights`` are dicts keyed by output name, or lists in output order when
    two outputs share a name (two calls of one shared layer)."""

    optimizer: str = DEFAULT_OPTIMIZER
    learning_rate: float | None = None
    loss: dict[str, Any] | list[Any] = field(default_factory=dict)
    loss_weights: dict[str, float] | list[float] = field(default_factory=dict)
    metrics: dict[str, list[Any]] | list[Any] | None = None

    def optimizer_class(self) -> str:
        return OPTIMIZER_CLASSES.get(self.optimizer, self.optimizer)


def compile_spec(graph: Graph) -> CompileSpec:
    """One loss and one loss weight per named output, from ``graph.training``.

    Raises :class:`CompileError` when there are no training settings, no loss, or settings
    Keras would refuse (the checks of :mod:`builder.settings`)."""
    training = graph.training
    names = graph.output_names()
    if not training:
        raise CompileError([Issue(None, None, "error", "loss_missing", "The graph has no training settings.")])
    problems = [p for p in settings.check(training, names) if p.severity == "error"]
    if problems:
        issues = []
        for p in problems:
            node = graph.outputs[names.index(p.output)] if p.output in names else None
            issues.append(Issue(node, None, "error", p.code, p.message))
        raise CompileError(issues)
    loss = training.get("loss")
    if loss is None:
        raise CompileError(
            [
                Issue(
                    None,
                    None,
                    "error",
                    "loss_missing",
                    f"No loss is set: give one loss per output ({', '.join(names)}).",
                )
            ]
        )
    if isinstance(loss, str):
        per_head = [loss] * len(names)
    elif isinstance(loss, Mapping):
        per_head = [loss[n] for n in names]
    else:
        per_head = list(loss)
    weights = training.get("loss_weights")
    if weights is None:
        per_weight = [1.0] * len(names)
    elif isinstance(weights, Mapping):
        per_weight = [float(weights.get(n, 1.0)) for n in names]
    else:
        per_weight = [float(w) for w in weights]
    metrics = _metrics(training.get("metrics"), names)
    lr = training.get("learning_rate")
    optimizer = training.get("optimizer") or DEFAULT_OPTIMIZER
    if len(set(names)) == len(names):
        return CompileSpec(
            optimizer=optimizer,
            learning_rate=None if lr is None else float(lr),
            loss=dict(zip(names, per_head, strict=True)),
            loss_weights=dict(zip(names, per_weight, strict=True)),
            metrics=metrics,
        )
    return CompileSpec(
        optimizer=optimizer,
        learning_rate=None if lr is None else float(lr),
        loss=per_head,
        loss_weights=per_weight,
        metrics=metrics,
    )


def _metrics(metrics: Any, names: list[str]) -> dict[str, list[Any]] | list[Any] | None:
    if metrics is None or metrics == () or metrics == []:
        return None
    if isinstance(metrics, str):
        metrics = [metrics]
    if isinstance(metrics, Mapping):
        out = {}
        for head, m in metrics.items():
            if head not in names:
                raise CompileError(
                    [Issue(None, None, "error", "loss_key_mismatch", f"Metrics name output '{head}'; outputs: {names}")]
                )
            out[head] = [m] if isinstance(m, str) else list(m)
        return out
    items = list(metrics)
    if len(names) == 1:
        return items
    # Several outputs: one entry per output, in order (the validator checked the length).
    per_head = [[m] if isinstance(m, str) else list(m) for m in items]
    return dict(zip(names, per_head)) if len(set(names)) == len(names) else per_head


# --------------------------------------------------------------------------- building


@dataclass
class Built:
    """A compiled graph: the model, and the Keras tensor of every built node and the Keras
    layer of every layer (one object for a shared layer)."""

    model: keras.Model
    tensors: dict[str, Any]
    layers: dict[str, Any]
    report: Report


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

    import os

    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    import keras

    klayers: dict[str, Any] = {}
    tensors: dict[str, Any] = {}
    for nid in order:
        node = graph.node_by_id[nid]
        layer = graph.layer_by_id[node.layer]
        ltype = cat[layer.type]
        kwargs = layer_kwargs(graph, layer.id)
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
                klayer = cls(**kwargs, name=layer.name)
            except Exception as exc:
                raise _keras_error(nid, f"Keras refused the config of {layer.type} layer '{layer.name}'", exc) from None
            klayers[layer.id] = klayer
        sources = [tensors[s] for s in graph.input_nodes(nid)]
        arg = sources if ltype.takes_list else sources[0]
        try:
            tensors[nid] = klayer(arg)
        except Exception as exc:
            raise _keras_error(nid, f"Keras could not call {layer.type} layer '{graph.node_label(nid)}'", exc) from None

    ins = [tensors[i] for i in graph.inputs]
    outs = [tensors[o] for o in graph.outputs]
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
    return Built(model=model, tensors=tensors, layers=klayers, report=report)


def _keras_error(node: str, what: str, exc: BaseException) -> CompileError:
    return CompileError([Issue(node, None, "error", "keras_error", f"{what}: {_short(exc)}")])


def compile_graph(graph: Graph, *, training: bool = False) -> keras.Model:
    """Build the graph as a ``keras.Model``. With ``training=True``, also ``model.compile`` it
    from ``graph.training`` (see :func:`compile_for_training`)."""
    if training:
        return compile_for_training(graph)
    return build(graph).model


def make_optimizer(spec: CompileSpec) -> Any:
    import keras

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
