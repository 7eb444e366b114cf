"""Training settings, pure: defaults per output head, merging, and the checks Keras would make.

* :func:`default_settings` picks a loss per output head from its activation and shape
  (sigmoid -> binary crossentropy, softmax -> categorical crossentropy, anything else -> mse),
  weight 1 and Keras' defaults for the rest; :func:`resolve_settings` merges ``graph.training``
  (and optional overrides) over them. The result is what goes into ``graph.training``: ``loss``,
  ``loss_weights`` and ``metrics`` are dicts keyed by output name (lists in output order when two
  outputs share a name).
* :func:`prepare_settings` gives both as one typed :class:`TrainSettings` (values, the problems
  Keras would raise by the rules of :mod:`builder.core.settings`, epochs, batch size, the
  validation-split check; ``raise_for_errors`` raises :class:`~builder.errors.SettingsError`);
  :func:`checked_settings` does the same for values already resolved.

The CLI (``kgb train``) and the Train panel both resolve and check settings here.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from ..errors import DataError, SettingsError
from . import settings as settings_mod
from .catalog import catalog
from .graph import Graph
from .validate import Report, validate

DEFAULT_OPTIMIZER = "rmsprop"  # model.compile's own default
DEFAULT_LEARNING_RATES = {name: 0.001 for name in settings_mod.OPTIMIZERS} | {"sgd": 0.01}  # Keras 3 defaults
DEFAULT_EPOCHS = 10
DEFAULT_BATCH_SIZE = 32
EARLY_STOPPING_DEFAULTS: dict[str, Any] = {
    "monitor": None,
    "patience": 3,
    "min_delta": 0.0,
    "restore_best_weights": True,
}
PER_HEAD_KEYS = ("loss", "loss_weights", "metrics")
MAX_BATCH_ROWS = 200_000  # per-batch progress rows kept by a monitor

# --------------------------------------------------------------------------- settings


def head_activation(graph: Graph, node_id: str) -> str | None:
    """The activation of the layer behind an output node (``None`` when it has none)."""
    layer = graph.layer_of(node_id)
    ltype = catalog().types.get(layer.type)
    cfg = ltype.resolved(dict(layer.config)) if ltype else dict(layer.config)
    act = cfg.get("activation")
    return act if isinstance(act, str) else None


def default_head(activation: str | None, shape: Sequence[int | None] | None) -> tuple[str, list[str]]:
    """(loss, metrics) for a head with this activation and output shape (batch axis included)."""
    classes = shape[-1] if shape and len(shape) > 1 else None
    if activation == "sigmoid":
        return "binary_crossentropy", ["accuracy"]
    if activation == "softmax" and classes != 1:
        return "categorical_crossentropy", ["accuracy"]
    return "mse", []


def default_settings(graph: Graph, report: Report | None = None) -> dict[str, Any]:
    """Settings that train the graph as it is: a loss per head from its activation, weight 1."""
    report = report or validate(graph.set_training(None))
    names = graph.output_names()
    heads = []
    out_shapes = report.output_shapes()  # each output's port (an LSTM's state h is output 1)
    for i, nid in enumerate(graph.outputs):
        if nid not in graph.node_by_id:
            heads.append(("mse", []))
            continue
        shape = out_shapes[i] if i < len(out_shapes) else report.shapes.get(nid)
        heads.append(default_head(head_activation(graph, nid), shape))
    return {
        "optimizer": DEFAULT_OPTIMIZER,
        "learning_rate": DEFAULT_LEARNING_RATES[DEFAULT_OPTIMIZER],
        "loss": _per_head(names, [h[0] for h in heads]),
        "loss_weights": _per_head(names, [1.0] * len(names)),
        "metrics": _per_head(names, [list(h[1]) for h in heads]),
        "epochs": DEFAULT_EPOCHS,
        "batch_size": DEFAULT_BATCH_SIZE,
        "validation_split": 0.0,
        "early_stopping": None,
    }


def _per_head(names: Sequence[str], values: Sequence[Any]) -> dict[str, Any] | list[Any]:
    if len(set(names)) == len(names):
        return dict(zip(names, values))
    return list(values)


def _plain(value: Any) -> Any:
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, Mapping):
        return {k: _plain(v) for k, v in value.items()}
    return value


def _merge_head_values(key: str, base: Any, given: Any, names: Sequence[str]) -> Any:
    """``given`` (one value, a list in output order or a dict by output name) over ``base``."""
    given = _plain(given)
    unique = len(set(names)) == len(names)
    base_list = [base[n] for n in names] if isinstance(base, Mapping) else list(base)
    if key == "metrics" and (
        isinstance(given, str) or (isinstance(given, list) and not any(isinstance(m, list) for m in given))
    ):
        values = [[given] if isinstance(given, str) else list(given) for _ in names]  # every head
        return _per_head(names, values)
    if isinstance(given, Mapping):
        if not unique:
            return given  # settings.check reports that dicts cannot address duplicate names
        merged = dict(zip(names, base_list))
        merged.update(given)  # unknown keys stay, so that the checks name them
        return merged
    if isinstance(given, list):
        if len(given) != len(names):
            return given  # settings.check reports the count
        return _per_head(names, given)
    return _per_head(names, [given] * len(names))


def resolve_settings(graph: Graph, overrides: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """``graph.training`` and then ``overrides`` merged over :func:`default_settings`.

    Per-head keys (``loss``, ``loss_weights``, ``metrics``) merge head by head; a single value
    (``loss="mse"``) applies to every head. A new optimizer without a learning rate gets that
    optimizer's Keras default."""
    out = default_settings(graph)
    names = graph.output_names()
    lr_given = False
    for layer in (graph.training or {}, overrides or {}):
        for key, value in layer.items():
            if key in PER_HEAD_KEYS and value is not None:
                out[key] = _merge_head_values(key, out[key], value, names)
            elif key == "early_stopping":
                out[key] = _early_stopping(value)
            else:
                out[key] = _plain(value)
            lr_given = lr_given or (key == "learning_rate" and value is not None)
    if not lr_given:
        out["learning_rate"] = DEFAULT_LEARNING_RATES.get(str(out.get("optimizer")), out["learning_rate"])
    return out


def _early_stopping(value: Any) -> Any:
    if value is None or value is False:
        return None
    if value is True:
        return dict(EARLY_STOPPING_DEFAULTS)
    if isinstance(value, Mapping):
        return {**EARLY_STOPPING_DEFAULTS, **_plain(value)}
    return value  # settings.check reports it


@dataclass(frozen=True)
class TrainSettings:
    """Resolved training settings and what Keras would say about them: the one typed result the
    CLI, the Train panel and :func:`builder.keras_edge.training.train` share.

    ``values`` is what goes into ``graph.training`` (see :func:`resolve_settings`); ``problems``
    are :func:`builder.core.settings.check`'s findings, errors and warnings."""

    values: Mapping[str, Any]
    outputs: tuple[str, ...]
    problems: tuple[settings_mod.SettingsProblem, ...] = ()

    @property
    def errors(self) -> list[settings_mod.SettingsProblem]:
        return [p for p in self.problems if p.severity == "error"]

    @property
    def warnings(self) -> list[settings_mod.SettingsProblem]:
        return [p for p in self.problems if p.severity != "error"]

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def epochs(self) -> int:
        return int(self.values.get("epochs") or DEFAULT_EPOCHS)

    @property
    def batch_size(self) -> int:
        return int(self.values.get("batch_size") or DEFAULT_BATCH_SIZE)

    @property
    def validation_split(self) -> float:
        return float(self.values.get("validation_split") or 0.0)

    def raise_for_errors(self) -> None:
        """Raise :class:`SettingsError` naming every error (one line, heads named)."""
        if self.errors:
            raise SettingsError("; ".join((f"{p.output}: " if p.output else "") + p.message for p in self.errors))

    def check_samples(self, n: int) -> None:
        """Raise :class:`~builder.errors.DataError` when the validation split of ``n`` samples
        leaves no sample on one side (Keras would fail at the first fit)."""
        split = self.validation_split
        if split <= 0:
            return
        n_val = int(n * split)
        if n_val < 1 or n - n_val < 1:
            raise DataError(
                f"validation_split={split:g} of {n:,} samples leaves {n_val} for validation and {n - n_val} for "
                f"training; both need at least one (use more samples or another split)."
            )


def prepare_settings(graph: Graph, overrides: Mapping[str, Any] | None = None) -> TrainSettings:
    """:func:`resolve_settings` and the checks, as one :class:`TrainSettings` (never raises)."""
    return checked_settings(graph, resolve_settings(graph, overrides))


def checked_settings(graph: Graph, values: Mapping[str, Any]) -> TrainSettings:
    """Already resolved ``values`` with the checks Keras would make (never raises)."""
    names = tuple(graph.output_names())
    return TrainSettings(values, names, tuple(settings_mod.check(values, list(names))))


def head_columns(history_columns: Sequence[str], output_names: Sequence[str]) -> dict[str, str]:
    """Head name -> its loss column in a history (``loss`` itself for a single-output model,
    which Keras logs without a per-head column)."""
    if len(output_names) == 1:
        return {output_names[0]: "loss"}
    return {n: f"{n}_loss" for n in output_names if f"{n}_loss" in history_columns}
