"""Training settings stored in a graph (``graph.training``) and their checks.

The settings follow ``model.compile``: ``loss`` and ``loss_weights`` are a single value, a
list (one per output, in output order) or a dict keyed by output name, exactly as Keras 3
accepts them. The checks reproduce the errors Keras 3 raises only at the first ``fit``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from . import losses as _losses

# The loss vocabulary is the one table in ``losses.py``; these names stay for their readers.
LOSSES = _losses.NAMES
LOSS_ALIASES = _losses.ALIASES
OPTIMIZERS = ("adam", "adamw", "rmsprop", "sgd", "adagrad", "adadelta", "adamax", "nadam", "ftrl", "lion")
KNOWN_KEYS = {
    "optimizer",
    "learning_rate",
    "loss",
    "loss_weights",
    "metrics",
    "epochs",
    "batch_size",
    "validation_split",
    "early_stopping",
}


@dataclass(frozen=True)
class SettingsProblem:
    output: str | None  # the output (head) name it concerns, or None for the whole model
    code: str
    message: str
    severity: str = "error"
    # What Keras does (see Issue.keras): it builds the model and refuses these settings at compile
    # or at the first fit; "stricter" where the builder checks what Keras would not.
    keras: str = "runtime"


def is_loss(name: Any) -> bool:
    return _losses.is_loss(name)


def check(training: Mapping[str, Any] | None, outputs: Sequence[str]) -> list[SettingsProblem]:
    """Problems Keras would raise at compile or at the first fit with these settings."""
    if not training:
        return []
    problems: list[SettingsProblem] = []
    for key in training:
        if key not in KNOWN_KEYS:
            problems.append(
                SettingsProblem(
                    None,
                    "training_settings",
                    f"Unknown training setting {key!r}; known: {sorted(KNOWN_KEYS)}",
                    "warning",
                    "stricter",
                )
            )
    opt = training.get("optimizer")
    if opt is not None and opt not in OPTIMIZERS:
        problems.append(
            SettingsProblem(None, "training_settings", f"Unknown optimizer {opt!r}; known: {list(OPTIMIZERS)}")
        )
    for key, lo, hi in (("epochs", 1, 100_000), ("batch_size", 1, 1_000_000)):
        val = training.get(key)
        if val is not None and (isinstance(val, bool) or not isinstance(val, int) or not lo <= val <= hi):
            problems.append(
                SettingsProblem(
                    None, "training_settings", f"`{key}` must be an integer from {lo} to {hi:,}. Received: {val!r}"
                )
            )
    for key, lo, hi in (("learning_rate", 0.0, 10.0), ("validation_split", 0.0, 0.99)):
        val = training.get(key)
        if val is not None and (isinstance(val, bool) or not isinstance(val, (int, float)) or not lo <= val <= hi):
            problems.append(
                SettingsProblem(
                    None, "training_settings", f"`{key}` must be a number from {lo} to {hi}. Received: {val!r}"
                )
            )

    loss = training.get("loss")
    n_losses = len(outputs)
    names = list(outputs)
    if loss is None:
        n_losses = 0
    elif isinstance(loss, str):
        n_losses = 1
        if not is_loss(loss):
            problems.append(SettingsProblem(None, "unknown_loss", _unknown_loss(loss)))
    elif isinstance(loss, (list, tuple)):
        n_losses = len(loss)
        if len(loss) != len(outputs):
            problems.append(
                SettingsProblem(
                    None,
                    "loss_count",
                    f"`loss` is a list of {len(loss)} losses but the model has {len(outputs)} outputs "
                    f"{names}: give one loss per output, in output order.",
                )
            )
        for i, item in enumerate(loss):
            if not is_loss(item):
                head = names[i] if i < len(names) else None
                problems.append(SettingsProblem(head, "unknown_loss", _unknown_loss(item)))
    elif isinstance(loss, Mapping):
        n_losses = len(loss)
        unknown = [k for k in loss if k not in names]
        if unknown:
            for head in names:
                if head not in loss:
                    problems.append(
                        SettingsProblem(
                            head,
                            "loss_key_mismatch",
                            f"The loss dict has no entry for output '{head}'. Expected keys {names} in loss dict, "
                            f"but found {list(loss)}: key(s) {unknown} name no output. Name the head's layer "
                            f"after its loss key (e.g. name='{unknown[0]}').",
                        )
                    )
            if all(h in loss for h in names):
                problems.append(
                    SettingsProblem(
                        None, "loss_key_mismatch", f"Loss dict keys {unknown} name no output; outputs are {names}."
                    )
                )
        for head, item in loss.items():
            if not is_loss(item):
                problems.append(SettingsProblem(head if head in names else None, "unknown_loss", _unknown_loss(item)))
    else:
        problems.append(
            SettingsProblem(None, "training_settings", f"`loss` must be a loss name, a list or a dict; got {loss!r}")
        )

    weights = training.get("loss_weights")
    if weights is not None:
        if isinstance(weights, (list, tuple)):
            if len(weights) != n_losses:
                problems.append(
                    SettingsProblem(
                        None,
                        "loss_weights_mismatch",
                        f"`loss_weights` must match the number of losses, got {n_losses} losses and "
                        f"{len(weights)} weights. Give one loss per output ({len(outputs)} outputs: {names}).",
                    )
                )
            bad = [w for w in weights if isinstance(w, bool) or not isinstance(w, (int, float))]
        elif isinstance(weights, Mapping):
            for key in weights:
                if key not in names:
                    problems.append(
                        SettingsProblem(
                            None,
                            "loss_key_mismatch",
                            f"`loss_weights` has key '{key}', which names no output; outputs are {names}.",
                        )
                    )
            bad = [w for w in weights.values() if isinstance(w, bool) or not isinstance(w, (int, float))]
        else:
            bad = [weights]
        if bad:
            problems.append(SettingsProblem(None, "training_settings", f"Loss weights must be numbers; got {bad!r}"))
        elif any(w < 0 for w in (weights.values() if isinstance(weights, Mapping) else weights)):
            problems.append(
                SettingsProblem(None, "training_settings", "Loss weights must not be negative.", "warning", "stricter")
            )
    problems.extend(_check_metrics(training.get("metrics"), names))
    problems.extend(_check_early_stopping(training.get("early_stopping")))
    return problems


# Metric names ``model.compile`` accepts (checked against keras.metrics.get in the tests).
METRICS = (
    "accuracy",
    "acc",
    "binary_accuracy",
    "categorical_accuracy",
    "sparse_categorical_accuracy",
    "top_k_categorical_accuracy",
    "sparse_top_k_categorical_accuracy",
    "auc",
    "precision",
    "recall",
    "f1_score",
    "r2_score",
    "mae",
    "mse",
    "mape",
    "msle",
    "mean_absolute_error",
    "mean_squared_error",
    "mean_absolute_percentage_error",
    "mean_squared_logarithmic_error",
    "root_mean_squared_error",
    "log_cosh_error",
    "binary_crossentropy",
    "categorical_crossentropy",
    "sparse_categorical_crossentropy",
    "kl_divergence",
    "poisson",
    "cosine_similarity",
    "hinge",
    "squared_hinge",
    "categorical_hinge",
)
EARLY_STOPPING_KEYS = {"monitor", "patience", "min_delta", "restore_best_weights"}


def _check_metrics(metrics: Any, names: list[str]) -> list[SettingsProblem]:
    """``metrics`` exactly as Keras 3's ``compile`` takes it: a dict keyed by output name, or a
    list. With one output a list holds that output's metrics; with several outputs the list
    must have one entry (a metric or a list of metrics) per output, in output order. A flat
    ``["accuracy"]`` on a two-output model (seed 002) fails at Keras' first ``fit``."""
    if metrics is None:
        return []
    out: list[SettingsProblem] = []
    items: list[tuple[str | None, Any]] = []
    if isinstance(metrics, Mapping):
        for head, value in metrics.items():
            if head not in names:
                out.append(
                    SettingsProblem(
                        None,
                        "loss_key_mismatch",
                        f"`metrics` has key '{head}', which names no output; outputs are {names}.",
                    )
                )
            for m in [value] if isinstance(value, str) else value if isinstance(value, (list, tuple)) else [value]:
                items.append((head if head in names else None, m))
    elif isinstance(metrics, (list, tuple)):
        if len(names) > 1 and len(metrics) != len(names):
            out.append(
                SettingsProblem(
                    None,
                    "metrics_mismatch",
                    f"Invalid `metrics`: with {len(names)} outputs, `metrics` must be a dict keyed by output "
                    f"name or a list with one entry per output {names}. Received: metrics={list(metrics)!r}. "
                    f"Keras 3 raises this at the first fit; to give every head the same metrics, write "
                    f"{{{', '.join(f'{n!r}: {list(metrics)!r}' for n in names)}}}.",
                )
            )
        for i, value in enumerate(metrics):
            head = names[i] if len(names) > 1 and i < len(names) else (names[0] if len(names) == 1 else None)
            if isinstance(value, (list, tuple)):
                items.extend((head, m) for m in value)
            else:
                items.append((head, value))
    else:
        out.append(
            SettingsProblem(
                None,
                "metrics_mismatch",
                f"Expected `metrics` argument to be a list, tuple, or dict. Received instead: metrics={metrics!r}",
            )
        )
    for head, m in items:
        if not (isinstance(m, str) and m in METRICS):
            out.append(
                SettingsProblem(
                    head, "training_settings", f"Unknown metric {m!r}. Known metrics: {', '.join(METRICS)}."
                )
            )
    return out


def _check_early_stopping(value: Any) -> list[SettingsProblem]:
    """``early_stopping``: None / False (off), True (defaults) or a dict of EarlyStopping arguments."""
    if value is None or isinstance(value, bool):
        return []
    if not isinstance(value, Mapping):
        return [
            SettingsProblem(
                None, "training_settings", f"`early_stopping` must be true, false or an object; got {value!r}"
            )
        ]
    out = []
    unknown = sorted(set(value) - EARLY_STOPPING_KEYS)
    if unknown:
        out.append(
            SettingsProblem(
                None,
                "training_settings",
                f"Unknown early_stopping key(s) {unknown}; known: {sorted(EARLY_STOPPING_KEYS)}",
            )
        )
    monitor = value.get("monitor")
    if monitor is not None and not (isinstance(monitor, str) and monitor.strip()):
        out.append(
            SettingsProblem(
                None, "training_settings", f"early_stopping monitor must name a logged value; got {monitor!r}"
            )
        )
    patience = value.get("patience")
    if patience is not None and (
        isinstance(patience, bool) or not isinstance(patience, int) or not 0 <= patience <= 10_000
    ):
        out.append(
            SettingsProblem(
                None,
                "training_settings",
                f"early_stopping patience must be an integer from 0 to 10,000; got {patience!r}",
            )
        )
    delta = value.get("min_delta")
    if delta is not None and (isinstance(delta, bool) or not isinstance(delta, (int, float)) or not delta >= 0):
        out.append(
            SettingsProblem(None, "training_settings", f"early_stopping min_delta must be a number >= 0; got {delta!r}")
        )
    restore = value.get("restore_best_weights")
    if restore is not None and not isinstance(restore, bool):
        out.append(
            SettingsProblem(
                None, "training_settings", f"early_stopping restore_best_weights must be true or false; got {restore!r}"
            )
        )
    return out


def _unknown_loss(name: Any) -> str:
    return f"Unknown loss {name!r}. Known losses: {', '.join(LOSSES)} (and the aliases {', '.join(LOSS_ALIASES)})."
