"""``model.compile(...)`` and ``model.fit(...)`` read into the graph's training settings: optimizer and
learning rate, losses, loss weights, metrics, epochs, batch size, validation split."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ..common import LOSS_CLASSES, keras_snake
from .namespace import KerasRef
from .symbolic import KerasObj, ModelBase, describe
from .values import all_const, listify

Note = Callable[[str, int], None]

COMPILE_POSITIONAL = ("optimizer", "loss", "loss_weights", "metrics")
COMPILE_IGNORED = ("weighted_metrics", "run_eagerly", "steps_per_execution", "jit_compile", "auto_scale_loss")
FIT_POSITIONAL = ("x", "y", "batch_size", "epochs")


def compile_settings(args: list[Any], kwargs: dict[str, Any], line: int, note: Note) -> dict[str, Any]:
    bound = dict(zip(COMPILE_POSITIONAL, args))
    bound.update(kwargs)
    out: dict[str, Any] = {}
    opt = bound.get("optimizer", "rmsprop")
    if isinstance(opt, str):
        out["optimizer"] = opt.lower()
    elif isinstance(opt, KerasObj) and opt.module == "optimizers":
        out["optimizer"] = opt.cls.lower()
        lr = opt.kwargs.get("learning_rate", opt.kwargs.get("lr", opt.args[0] if opt.args else None))
        if isinstance(lr, int | float) and not isinstance(lr, bool):
            out["learning_rate"] = lr
        extra = sorted(k for k in opt.kwargs if k not in ("learning_rate", "lr"))
        if extra:
            note(f"optimizer settings {extra} dropped (the builder keeps the optimizer and learning rate)", line)
    else:
        note(f"compile: the optimizer {describe(opt)} cannot be read; dropped", line)
    if "loss" in bound and bound["loss"] is not None:
        loss = loss_value(bound["loss"], line, note)
        if loss is not None:
            out["loss"] = loss
    weights = bound.get("loss_weights")
    if weights is not None:
        if all_const([weights]):
            out["loss_weights"] = listify(weights)
        else:
            note("compile: loss_weights are not constants; dropped", line)
    metrics = bound.get("metrics")
    if metrics is not None:
        names = metric_names(metrics)
        if names is not None:
            out["metrics"] = names
        else:
            note("compile: metrics cannot be read; dropped", line)
    for key in bound:
        if key not in COMPILE_POSITIONAL and key not in COMPILE_IGNORED:
            note(f"compile: argument `{key}` dropped", line)
    return out


def loss_value(value: Any, line: int, note: Note) -> Any:
    """A loss name, or a list / dict of them (per head); None (with a note) when it cannot be read."""
    if isinstance(value, str):
        return value
    if isinstance(value, list | tuple):
        items = [loss_value(v, line, note) for v in value]
        return None if any(i is None for i in items) else items
    if isinstance(value, dict):
        items2 = {str(k): loss_value(v, line, note) for k, v in value.items()}
        return None if any(i is None for i in items2.values()) else items2
    if isinstance(value, KerasObj) and value.module == "losses":
        if value.args or value.kwargs:
            note(f"compile: the arguments of losses.{value.cls}(...) were dropped", line)
        return LOSS_CLASSES.get(value.cls, keras_snake(value.cls))
    if isinstance(value, KerasRef) and value.canon[:1] == ("losses",) and len(value.canon) == 2:
        return LOSS_CLASSES.get(value.canon[1], value.canon[1])
    note(f"compile: the loss {describe(value)} cannot be read; dropped", line)
    return None


def metric_names(value: Any) -> list[Any] | dict[str, Any] | None:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):  # per head: {"age": ["mae"], ...}
        out_d: dict[str, Any] = {}
        for k, v in value.items():
            item = metric_names(v)
            if item is None or isinstance(item, dict):
                return None
            out_d[str(k)] = item
        return out_d
    if isinstance(value, list | tuple):
        out = []
        for v in value:
            if isinstance(v, str):
                out.append(v)
            elif isinstance(v, KerasObj) and v.module == "metrics":
                out.append(keras_snake(v.cls))
            elif isinstance(v, KerasRef) and len(v.canon) == 2 and v.canon[0] in ("metrics", "losses"):
                out.append(v.canon[1])
            else:
                return None
        return out
    return None


def fit_settings(args: list[Any], kwargs: dict[str, Any]) -> dict[str, Any]:
    bound = dict(zip(FIT_POSITIONAL, args))
    bound.update(kwargs)
    out = {}
    for key in ("epochs", "batch_size"):
        v = bound.get(key)
        if isinstance(v, int) and not isinstance(v, bool):
            out[key] = v
    v = bound.get("validation_split")
    if isinstance(v, int | float) and not isinstance(v, bool) and v:
        out["validation_split"] = v
    return out


def training_settings(model: ModelBase, note: Note) -> dict[str, Any] | None:
    """The settings in effect: the compile at the first fit (else the last compile), plus the fit's."""
    settings: dict[str, Any] | None = None
    if model.at_fit is not None:
        fit_line, settings = model.at_fit
        for line, other in model.compiles:
            if other is not settings:
                note(
                    f"this compile(...) is ignored: the one in effect at the first fit (line {fit_line}) is imported",
                    line,
                )
    elif model.compiles:
        settings = model.compiles[-1][1]
        for line, _other in model.compiles[:-1]:
            note("this compile(...) is replaced by a later one", line)
    out = dict(settings or {})
    out.update(model.fit_settings)
    return out or None
