"""The layer catalog: layer types as data (``catalog.json`` and ``layers/<category>.json``).

The palette, the inspector form, parameter checks, the importers and code generation all read
this one table; it is the one home of a layer type. Each entry names its Keras class, category
(Keras' module grouping: ``keras_modules`` maps ``keras.src.layers.<module>`` to a category),
arity, a one-line doc, its shape rule and its parameters (kind, Keras default, range or
choices), and optionally:

- ``positional``: the Keras 3 constructor's positional parameters, in order (the prefix whose
  names the catalog knows). Absent: the required params, in catalog order.
- ``code_positional``: the leading params generated code writes positionally
  (``layers.MaxPooling2D((2, 2))``). Absent: the leading required params.
- ``aliases``: other class names that mean this type (``Convolution2D``, ``InputLayer``).
- ``helper``: the functional helper of ``keras.layers`` that builds it (``concatenate``).
- ``keras2``: Keras 2 arguments Keras 3 removed or ignores (dropped on import, with a note).
- ``starter``: the values a node gets when added from the palette.
- ``state_inputs``: names of the input ports after the main ones that the call takes as its
  ``initial_state`` list (LSTM: ``["h", "c"]``): all of them or none.
- ``multi_output``: ``{"when": PARAM, "ports": [NAMES]}``: with PARAM true the call returns one
  tensor per name (LSTM ``return_state``: output, h, c); otherwise it has one output.
- ``call_params``: params passed to the *call*, not the constructor (MultiHeadAttention's
  ``return_attention_scores``); codegen, the Keras edge and the importers move them there.

``is_default(param, value)`` is the one rule for "this value is what Keras does when the param is
left out"; ``scripts/check_catalog.py`` compares every entry with the installed Keras.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from .plain import tuplify

_PATH = Path(__file__).with_name("catalog.json")
_LAYERS = Path(__file__).with_name("layers")

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
    positional_names: tuple[str, ...] | None = None  # as written in catalog.json (None: absent)
    code_positional_names: tuple[str, ...] | None = None
    aliases: tuple[str, ...] = ()
    helper: str | None = None
    keras2: frozenset[str] = frozenset()
    starter_json: str = "{}"  # JSON text, so that every caller gets a fresh copy
    state_inputs: tuple[str, ...] = ()  # extra input ports taken as ``initial_state``
    multi_output_when: str | None = None  # the bool param that makes the call return several tensors
    multi_output_ports: tuple[str, ...] = ()  # their names, in Keras' order
    call_params: frozenset[str] = frozenset()  # params given to the call, not the constructor

    @property
    def class_name(self) -> str:
        """The Keras class (or function) name: ``keras.layers.Conv2D`` -> ``Conv2D``."""
        return self.keras.rsplit(".", 1)[-1]

    @property
    def positional(self) -> tuple[str, ...]:
        """The constructor's positional parameters, in Keras' order."""
        if self.positional_names is not None:
            return self.positional_names
        return tuple(n for n, p in self.params.items() if p.required)

    @property
    def code_positional(self) -> tuple[str, ...]:
        """The leading params generated code writes positionally when they are set."""
        if self.code_positional_names is not None:
            return self.code_positional_names
        out: list[str] = []
        for name, param in self.params.items():
            if not param.required:
                break
            out.append(name)
        return tuple(out)

    @property
    def starter(self) -> dict[str, Any]:
        """The config of a node added from the palette (a new dict on every call)."""
        return dict(json.loads(self.starter_json))

    @property
    def is_input(self) -> bool:
        return self.type == "Input"

    @property
    def outputs(self) -> int:
        """The most tensors one call returns (an LSTM with ``return_state``: 3); ``kgb layers``
        lists it."""
        return max(1, len(self.multi_output_ports))

    def output_ports(self, config: dict[str, Any] | None = None) -> tuple[str, ...]:
        """The names of a call's outputs for ``config`` (one, ``("output",)``, for most layers)."""
        when = self.multi_output_when
        if when is not None and self.resolved(dict(config or {})).get(when) is True:
            return self.multi_output_ports
        return ("output",)

    def split_inputs(self, items: list[Any]) -> tuple[list[Any], list[Any]]:
        """A call's inputs in port order -> (the main inputs, the ``initial_state`` ones)."""
        if self.state_inputs and self.max_inputs is not None:
            return items[: self.max_inputs], items[self.max_inputs :]
        return items, []

    def split_config(self, config: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
        """A layer's config -> (constructor kwargs, call kwargs: the ``call_params``)."""
        ctor = {k: v for k, v in config.items() if k not in self.call_params}
        return ctor, {k: v for k, v in config.items() if k in self.call_params}

    def input_port_name(self, port: int) -> str:
        """How the UI and messages name input ``port`` (a state port: ``initial_state h``)."""
        main = self.max_inputs if self.max_inputs is not None else None
        if self.state_inputs and main is not None and main <= port < main + len(self.state_inputs):
            return f"initial_state {self.state_inputs[port - main]}"
        return f"input {port}"

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

    def is_default(self, name: str, value: Any) -> bool:
        """Whether ``value`` for the param ``name`` is what Keras does without it (unknown: False)."""
        param = self.params.get(name)
        return param is not None and is_default(param, value)


class Catalog:
    def __init__(self, doc: dict[str, Any]) -> None:
        self.version: int = doc["version"]
        self.activations: tuple[str, ...] = tuple(doc["activations"])
        self.categories: tuple[str, ...] = tuple(doc["categories"])
        # keras.src.layers.<module> -> category (Keras' own grouping of its layers)
        self.keras_modules: dict[str, str] = dict(doc.get("keras_modules", {}))
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
                    default=tuplify(spec.get("default")),
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
                positional_names=_names(entry.get("positional")),
                code_positional_names=_names(entry.get("code_positional")),
                aliases=tuple(entry.get("aliases", ())),
                helper=entry.get("helper"),
                keras2=frozenset(entry.get("keras2", ())),
                starter_json=json.dumps(entry.get("starter", {})),
                state_inputs=tuple(entry.get("state_inputs", ())),
                multi_output_when=(entry.get("multi_output") or {}).get("when"),
                multi_output_ports=tuple((entry.get("multi_output") or {}).get("ports", ())),
                call_params=frozenset(entry.get("call_params", ())),
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

    def class_names(self) -> dict[str, str]:
        """Keras class names (the type, its Keras class and its aliases) -> catalog type."""
        out: dict[str, str] = {}
        for t in self.types.values():
            out.update(dict.fromkeys(t.aliases, t.type))
        for t in self.types.values():
            out[t.type] = t.type
            out[t.class_name] = t.type
        return out

    def helpers(self) -> dict[str, str]:
        """Functional helpers of ``keras.layers`` (``concatenate``) -> catalog type."""
        return {t.helper: t.type for t in self.types.values() if t.helper}

    def positional_table(self) -> dict[str, tuple[str, ...]]:
        """Layer type -> its constructor's positional parameters (``keras.Input`` left out)."""
        return {t.type: t.positional for t in self.types.values() if not t.is_input}

    def keras2_table(self) -> dict[str, set[str]]:
        """Layer type -> the Keras 2 arguments Keras 3 does not take (types that have some)."""
        return {t.type: set(t.keras2) for t in self.types.values() if t.keras2}

    def category_of_module(self, module: str) -> str | None:
        """The category for a Keras class' module (``keras.src.layers.rnn.lstm`` -> ``recurrent``)."""
        parts = module.split(".")
        if "layers" not in parts:
            return None
        i = parts.index("layers")
        return self.keras_modules.get(parts[i + 1]) if i + 1 < len(parts) else None


def _names(value: Any) -> tuple[str, ...] | None:
    return None if value is None else tuple(str(v) for v in value)


def load_document(path: Path = _PATH, layers: Path = _LAYERS) -> dict[str, Any]:
    """The catalog as one JSON document: ``catalog.json`` plus every ``layers/<category>.json``.

    Layer entries come in the order of ``categories``, then file order; a file for a category
    the catalog does not list is an error, as is a type defined twice.
    """
    with path.open(encoding="utf-8") as fh:
        doc = json.load(fh)
    files = {f.stem: f for f in layers.glob("*.json")}
    unknown = sorted(set(files) - set(doc["categories"]))
    if unknown:
        raise ValueError(f"catalog: layer files for unknown categories: {unknown}")
    entries: list[dict[str, Any]] = []
    seen: set[str] = set()
    for category in doc["categories"]:
        if category not in files:
            continue
        for entry in json.loads(files[category].read_text(encoding="utf-8"))["layers"]:
            if entry.get("category") != category:
                raise ValueError(
                    f"catalog: {entry['type']} is in layers/{category}.json but says {entry.get('category')!r}"
                )
            if entry["type"] in seen:
                raise ValueError(f"catalog: layer type {entry['type']!r} is defined twice")
            seen.add(entry["type"])
            entries.append(entry)
    return {**doc, "layers": entries}


@lru_cache(maxsize=1)
def catalog() -> Catalog:
    return Catalog(load_document())


# --------------------------------------------------------------------------- defaults

# Optional params whose Keras default is None, which Keras resolves to a known value: setting that
# value is the same as leaving the param out.
_NONE_MEANS_KIND = {"activation": "linear"}  # activations.get(None) is linear
_NONE_MEANS_NAME = {"data_format": "channels_last"}  # None: keras.config.image_data_format()


def is_default(param: Param, value: Any) -> bool:
    """Whether ``value`` is what Keras does when ``param`` is left out: the one rule the importers
    (which drop such values), code export (which leaves them out) and the inspector (which unsets
    them) share.

    Equal after Keras' own normalisation: ``3`` and ``(3, 3)`` for a rank-2 ``int_or_tuple``,
    ``1`` and ``((1, 1), (1, 1))`` for ``padding2d``, lists and tuples, ``0`` and ``0.0``; a bool
    only equals a bool; ``"linear"`` is an activation default of None and ``"channels_last"`` a
    ``data_format`` default of None. A required param has no default.
    """
    if param.required:
        return False
    default = param.default
    if default is None:
        if value is None:
            return True
        means = _NONE_MEANS_KIND.get(param.kind, _NONE_MEANS_NAME.get(param.name))
        return means is not None and value == means
    if value is None:
        return False
    if isinstance(value, bool) or isinstance(default, bool):
        return isinstance(value, bool) and isinstance(default, bool) and value is default
    if param.kind == "padding2d":
        pads = pad2d(value)
        return pads is not None and pads == pad2d(default)
    if param.kind == "int_or_tuple":
        return _same(_broadcast(value, param.rank), _broadcast(default, param.rank))
    return _same(value, default)


def _broadcast(value: Any, rank: int) -> Any:
    if isinstance(value, int) and not isinstance(value, bool):
        return (value,) * rank
    return tuplify(value)


def _same(a: Any, b: Any) -> bool:
    """Equal as Keras sees configs: numbers by value (never a bool for a number), sequences
    element-wise whether lists or tuples, dicts key-wise."""
    if isinstance(a, bool) or isinstance(b, bool):
        return isinstance(a, bool) and isinstance(b, bool) and a is b
    if isinstance(a, int | float) and isinstance(b, int | float):
        return a == b
    if isinstance(a, list | tuple) and isinstance(b, list | tuple):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b))
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(_same(a[k], b[k]) for k in a)
    return type(a) is type(b) and a == b


def consistency_problems(cat: Catalog | None = None) -> list[str]:
    """What the catalog says about itself that does not hold (no Keras needed): starter values
    for known params that the checks accept and that set every required param; positional names
    that are params; aliases and helpers that name one type each; known categories."""
    cat = cat or catalog()
    out: list[str] = []
    seen: dict[str, str] = {}
    for t in cat.types.values():
        starter = t.starter
        for key, value in starter.items():
            if key not in t.params:
                out.append(f"{t.type}.{key}: a starter value for an unknown param")
                continue
            msg = check_param(t.params[key], tuplify(value), cat.activations)
            if msg:
                out.append(f"{t.type}.{key}: the starter value is refused: {msg}")
        for key, param in t.params.items():
            if param.required and key not in starter:
                out.append(f"{t.type}.{key}: required, but the starter gives no value")
        for key in (*t.positional, *t.code_positional):
            if key not in t.params:
                out.append(f"{t.type}.{key}: positional, but not a param of the entry")
        for name in dict.fromkeys((t.type, t.class_name, *t.aliases, *((t.helper,) if t.helper else ()))):
            if seen.setdefault(name, t.type) != t.type:
                out.append(f"{t.type}: the name {name!r} also means {seen[name]}")
        if t.multi_output_when is not None and (t.multi_output_when not in t.params or len(t.multi_output_ports) < 2):
            out.append(f"{t.type}: multi_output needs a bool param and at least 2 port names")
        for key in t.call_params:
            if key not in t.params:
                out.append(f"{t.type}.{key}: a call param that is not a param of the entry")
        if t.state_inputs and t.max_inputs is None:
            out.append(f"{t.type}: state_inputs need a fixed number of main inputs")
        if t.category not in cat.categories:
            out.append(f"{t.type}: category {t.category!r} is not in the catalog's categories")
    for module, category in cat.keras_modules.items():
        if category not in cat.categories:
            out.append(f"keras_modules: {module} -> {category!r}, which is not a category")
    return out


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
