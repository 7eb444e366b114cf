"""What ``model.compile`` gets, as plain data: one loss and one loss weight per named output.

"Compile" in this package means exactly Keras' ``model.compile``. :func:`compile_spec` reads
``graph.training`` (checked by :mod:`builder.core.settings`) into a :class:`CompileSpec`; the
Keras edge (:mod:`builder.keras_edge.build`) passes it to ``model.compile`` and code export
(:mod:`builder.codegen`) writes it out as source.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from ..errors import CompileError
from . import settings
from .graph import Graph
from .validate import Issue

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
    Keras would refuse (the checks of :mod:`builder.core.settings`)."""
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
