"""The layer catalog: layer types as data (``catalog.json``).

The palette, the inspector form, parameter checks and code generation all read this one
table. Each entry names its Keras class, category, arity, a one-line doc, its shape rule and
its parameters (kind, Keras default, range or choices).
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

_PATH = Path(__file__).with_name("catalog.json")

MISSING = object()


@dataclass(frozen=True)
class Param:
    name: str
    kind: str
    default: Any = None
    required: bool = False
    min: float | None = None
    max: float | None = None
    exclusive_min: bool = False
    choices: tuple[Any, ...] = ()
    rank: int = 1
    advanced: bool = False


@dataclass(frozen=True)
class LayerType:
    type: str
    keras: str
    category: str
    doc: str
    rule: str
    min_inputs: int
    max_inputs: int | None  # None: any number (a list input)
    params: dict[str, Param] = field(default_factory=dict)

    @property
    def is_input(self) -> bool:
        return self.type == "Input"

    @property
    def takes_list(self) -> bool:
        return self.max_inputs is None or self.max_inputs > 1

    def arity_text(self) -> str:
        if self.max_inputs is None:
            return f"a list of at least {self.min_inputs} input{'s' if self.min_inputs != 1 else ''}"
        if self.max_inputs == 0:
            return "no inputs"
        n = self.max_inputs
        return f"exactly {n} input{'s' if n != 1 else ''}"

    def defaults(self) -> dict[str, Any]:
        return {n: p.default for n, p in self.params.items() if not p.required}

    def resolved(self, config: dict[str, Any]) -> dict[str, Any]:
        """The config with Keras defaults filled in for params not given."""
        out = self.defaults()
        out.update(config)
        return out


class Catalog:
    def __init__(self, doc: dict[str, Any]) -> None:
        self.version: int = doc["version"]
        self.activations: tuple[str, ...] = tuple(doc["activations"])
        self.categories: tuple[str, ...] = tuple(doc["categories"])
        self.types: dict[str, LayerType] = {}
        for entry in doc["layers"]:
            arity = entry["arity"]
            if isinstance(arity, int):
                lo, hi = arity, arity
            else:
                lo, hi = int(arity.get("min", 1)), arity.get("max")
            params = {
                name: Param(
                    name=name,
                    kind=spec["kind"],
                    default=_tuplify(spec.get("default")),
                    required=bool(spec.get("required", False)),
                    min=spec.get("min"),
                    max=spec.get("max"),
                    exclusive_min=bool(spec.get("exclusive_min", False)),
                    choices=tuple(spec.get("choices", ())),
                    rank=int(spec.get("rank", 1)),
                    advanced=bool(spec.get("advanced", False)),
                )
                for name, spec in entry["params"].items()
            }
            self.types[entry["type"]] = LayerType(
                type=entry["type"],
                keras=entry["keras"],
                category=entry["category"],
                doc=entry["doc"],
                rule=entry["rule"],
                min_inputs=lo,
                max_inputs=hi,
                params=params,
            )

    def __contains__(self, type_name: object) -> bool:
        return type_name in self.types

    def __getitem__(self, type_name: str) -> LayerType:
        return self.types[type_name]

    def by_category(self) -> dict[str, list[LayerType]]:
        out: dict[str, list[LayerType]] = {c: [] for c in self.categories}
        for t in self.types.values():
            out.setdefault(t.category, []).append(t)
        return out


def _tuplify(value: Any) -> Any:
    if isinstance(value, list):
        return tuple(_tuplify(v) for v in value)
    return value


@lru_cache(maxsize=1)
def catalog() -> Catalog:
    with _PATH.open(encoding="utf-8") as fh:
        return Catalog(json.load(fh))


# --------------------------------------------------------------------------- param checks


def check_param(param: Param, value: Any, activations: tuple[str, ...]) -> str | None:
    """Return a message when ``value`` is not acceptable for ``param``, else None."""
    if value is None:
        if param.required:
            return f"`{param.name}` is required"
        # None is the Keras default for optional params of several kinds; accept it for all
        # optional params whose default is None, refuse it for the others.
        if param.default is None or param.kind in ("any", "activation"):  # activation=None: linear
            return None
        return f"`{param.name}` cannot be None (Keras default: {param.default!r})"
    kind = param.kind
    if kind == "any":
        return None
    if kind == "bool":
        return None if isinstance(value, bool) else f"`{param.name}` must be true or false"
    if kind == "int":
        if isinstance(value, bool) or not isinstance(value, int):
            return f"`{param.name}` must be an integer"
        return _range(param, value)
    if kind == "float":
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
            return f"`{param.name}` must be a finite number"
        return _range(param, value)
    if kind == "choice":
        return None if value in param.choices else f"`{param.name}` must be one of {list(param.choices)}"
    if kind == "activation":
        if isinstance(value, str) and value in activations:
            return None
        return f"`{param.name}` must be one of the Keras activations ({', '.join(activations[:6])}, ...)"
    if kind == "int_or_tuple":
        values = (value,) * param.rank if isinstance(value, int) and not isinstance(value, bool) else value
        if not isinstance(values, (list, tuple)) or len(values) != param.rank:
            return f"`{param.name}` must be an integer or a tuple of {param.rank} integers"
        for v in values:
            if isinstance(v, bool) or not isinstance(v, int):
                return f"`{param.name}` must be an integer or a tuple of {param.rank} integers"
            msg = _range(param, v)
            if msg:
                return msg
        return None
    if kind == "shape":
        if not isinstance(value, (list, tuple)):
            return f"`{param.name}` must be a tuple of positive integers or None"
        for v in value:
            if v is None:
                continue
            if isinstance(v, bool) or not isinstance(v, int):
                return f"`{param.name}` must be a tuple of positive integers or None"
            msg = _range(param, v)
            if msg:
                return msg
        return None
    if kind == "int_list":
        if not isinstance(value, (list, tuple)) or not value:
            return f"`{param.name}` must be a non-empty tuple of integers"
        for v in value:
            if isinstance(v, bool) or not isinstance(v, int) or (v < 1 and v != -1):
                return f"`{param.name}` must hold positive integers (and at most one -1)"
            if v > (param.max or math.inf):
                return f"`{param.name}` entries must be at most {param.max}"
        if sum(1 for v in value if v == -1) > 1:
            return f"`{param.name}` can contain at most one -1"
        return None
    if kind == "padding2d":
        if _pad2d(value) is None:
            return f"`{param.name}` must be an int, a tuple of 2 ints or a tuple of 2 tuples of 2 ints"
        for v in (x for pair in _pad2d(value) or () for x in pair):
            msg = _range(param, v)
            if msg:
                return msg
        return None
    if kind == "str":
        return None if isinstance(value, str) else f"`{param.name}` must be a string"
    return f"`{param.name}` has an unknown kind {kind!r}"


def _range(param: Param, value: float) -> str | None:
    lo, hi = param.min, param.max
    if lo is not None and (value < lo or (param.exclusive_min and value == lo)):
        bound = f"greater than {lo}" if param.exclusive_min else f"at least {lo}"
        return f"`{param.name}` must be {bound}. Received: {param.name}={value!r}"
    if hi is not None and value > hi:
        return f"`{param.name}` must be at most {hi:,}. Received: {param.name}={value!r}"
    return None


def _pad2d(value: Any) -> tuple[tuple[int, int], tuple[int, int]] | None:
    def is_int(v: Any) -> bool:
        return isinstance(v, int) and not isinstance(v, bool)

    if is_int(value):
        return ((value, value), (value, value))
    if isinstance(value, (list, tuple)) and len(value) == 2:
        if all(is_int(v) for v in value):
            return ((value[0], value[0]), (value[1], value[1]))
        if all(isinstance(v, (list, tuple)) and len(v) == 2 and all(is_int(x) for x in v) for v in value):
            return ((value[0][0], value[0][1]), (value[1][0], value[1][1]))
    return None


pad2d = _pad2d
