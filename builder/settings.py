"""Training settings stored in a graph (``graph.training``) and their checks.

The settings follow ``model.compile``: ``loss`` and ``loss_weights`` are a single value, a
list (one per output, in output order) or a dict keyed by output name, exactly as Keras 3
accepts them. The checks reproduce the errors Keras 3 raises only at the first ``fit``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

LOSSES = (
    "binary_crossentropy",
    "categorical_crossentropy",
    "sparse_categorical_crossentropy",
    "binary_focal_crossentropy",
    "categorical_focal_crossentropy",
    "mean_squared_error",
    "mean_absolute_error",
    "mean_absolute_percentage_error",
    "mean_squared_logarithmic_error",
    "huber",
    "log_cosh",
    "kl_divergence",
    "poisson",
    "hinge",
    "squared_hinge",
    "categorical_hinge",
    "cosine_similarity",
)
LOSS_ALIASES = {
    "mse": "mean_squared_error",
    "mae": "mean_absolute_error",
    "mape": "mean_absolute_percentage_error",
    "msle": "mean_squared_logarithmic_error",
    "logcosh": "log_cosh",
    "kld": "kl_divergence",
    "huber_loss": "huber",
}
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


def is_loss(name: Any) -> bool:
    return isinstance(name, str) and (name in LOSSES or name in LOSS_ALIASES)


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
            problems.append(SettingsProblem(None, "training_settings", "Loss weights must not be negative.", "warning"))
    return problems


def _unknown_loss(name: Any) -> str:
    return f"Unknown loss {name!r}. Known losses: {', '.join(LOSSES)} (and the aliases {', '.join(LOSS_ALIASES)})."
