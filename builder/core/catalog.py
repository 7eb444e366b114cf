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
- ``renamed``: Keras 2 argument names Keras 3 renamed (``{"alpha": "negative_slope"}``): renamed
  on import, with a note.
- ``call_ports``: for a layer called on several tensor arguments (``mha(query, value, key)``,
  ``softmax(x, mask)``), their names in port order; the call passes them positionally. Absent: a
  layer of more than one input is called on a list (``Add()([a, b])``), else on one tensor.
- ``starter``: the values a node gets when added from the palette.
- ``state_inputs``: names of the input ports after the main ones that the call takes as its
  ``initial_state`` list (LSTM: ``["h", "c"]``): all of them or none.
- ``multi_output``: ``{"when": PARAM, "ports": [NAMES]}``: with PARAM true the call returns one
  tensor per name (LSTM ``return_state``: output, h, c); otherwise it has one output.
- ``call_params``: params passed to the *call*, not the constructor (MultiHeadAttention's
  ``return_attention_scores``); codegen, the Keras edge and the importers move them there.
- wrappers (``Bidirectional``, ``TimeDistributed``, ``SpectralNormalization``) have a param of kind
  ``layer``: the wrapped layer as ``{"type": <catalog type>, "config": {...}}``, checked against
  its own catalog entry; ``inner`` lists the types it may have.
- ``input_spec: false``: Keras sets no input_spec on the layer; it checks its inputs only when it
  builds, on the first call, so a later call of a shared layer that does not fit builds and fails
  only on data.

A param may carry ``keras``: what Keras itself does with a value the catalog refuses, by the way
it fails (``below_min``, ``above_max``, ``non_integer``: a float where an int belongs,
``invalid``, ``missing``: a required param left out or None): ``"build"`` (Keras refuses it too),
``"runtime"`` (Keras builds, then fails on data) or ``"stricter"`` (Keras accepts it; the
catalog refuses on purpose). Defaults: ``below_min`` and ``invalid`` build, ``above_max``
stricter (a maximum is a cap of ours unless said otherwise). ``keras_min`` is the smallest
value Keras accepts where it is below the catalog's ``min`` (Input dims: Keras takes 0, not -1).

``is_default(param, value)`` is the one rule for "this value is what Keras does when the param is
left out"; ``scripts/check_catalog.py`` compares every entry with the installed Keras.
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, TypeVar

from .plain import tuplify

_PATH = Path(__file__).with_name("catalog.json")
_LAYERS = Path(__file__).with_name("layers")

MISSING = object()
T = TypeVar("T")

_DEFAULT_VERDICTS = {
    "below_min": "build",
    "above_max": "stricter",
    "non_integer": "build",
    "invalid": "build",
    "missing": "build",  # a required param left out or None
}


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
    keras: tuple[tuple[str, str], ...] = ()  # failure ("below_min", ...) -> what Keras does; see verdict()
    keras_min: float | None = None  # below this, Keras refuses too (whatever ``keras`` says of below_min)
    inner: tuple[str, ...] = ()  # kind "layer": the catalog types the wrapped layer may have (empty: any)

    def verdict(self, failure: str) -> str:
        """What Keras does with a value this param refuses by ``failure``: build, runtime or stricter."""
        return dict(self.keras).get(failure, _DEFAULT_VERDICTS[failure])


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
    renamed: tuple[tuple[str, str], ...] = ()  # Keras 2 name -> Keras 3 name
    call_ports: tuple[str, ...] = ()
    starter_json: str = "{}"  # JSON text, so that every caller gets a fresh copy
    input_spec: bool = True  # False: Keras checks inputs only on the first call (see the module doc)
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
        """Whether a call passes its inputs as one list (``Add()([a, b])``)."""
        return not self.call_ports and (self.max_inputs is None or self.max_inputs > 1)

    def call_arguments(self, sources: Sequence[T]) -> tuple[T | list[T], ...]:
        """The positional arguments of a call on ``sources`` (in port order): the list for a
        list-taking layer, each tensor for one with ``call_ports``, else the one tensor."""
        if self.call_ports:
            return tuple(sources)
        if self.takes_list:
            return (list(sources),)
        return (sources[0],)

    def arity_text(self) -> str:
        if self.max_inputs is None:
            return f"a list of at least {self.min_inputs} input{'s' if self.min_inputs != 1 else ''}"
        if self.max_inputs == 0:
            return "no inputs"
        n = self.max_inputs
        if self.min_inputs < n:
            names = f" ({', '.join(self.call_ports[:n])})" if len(self.call_ports) >= n else ""
            return f"{self.min_inputs} to {n} inputs{names}"
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
        # Keras activations the catalog leaves out: name -> (what Keras does, why)
        self.refused_activations: dict[str, tuple[str, str]] = {
            name: (entry["keras"], entry["why"]) for name, entry in doc.get("refused_activations", {}).items()
        }
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
                    keras=tuple(sorted(spec.get("keras", {}).items())),
                    keras_min=spec.get("keras_min"),
                    inner=tuple(spec.get("inner", ())),
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
                renamed=tuple((str(k), str(v)) for k, v in entry.get("renamed", {}).items()),
                call_ports=tuple(str(p) for p in entry.get("call_ports", ())),
                starter_json=json.dumps(entry.get("starter", {})),
                input_spec=bool(entry.get("input_spec", True)),
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

    def renamed_table(self) -> dict[str, dict[str, str]]:
        """Layer type -> {Keras 2 argument name: Keras 3 name} (types that have some)."""
        return {t.type: dict(t.renamed) for t in self.types.values() if t.renamed}

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
    if param.kind in _PAD_RANK:
        pads = pad_pairs(value, _PAD_RANK[param.kind])
        return pads is not None and pads == pad_pairs(default, _PAD_RANK[param.kind])
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
            for inner in param.inner:
                if inner not in cat.types:
                    out.append(f"{t.type}.{key}: inner type {inner!r} is not in the catalog")
            for failure, verdict in param.keras:
                if failure not in _DEFAULT_VERDICTS or verdict not in ("build", "runtime", "stricter"):
                    out.append(
                        f"{t.type}.{key}: keras {failure!r}: {verdict!r} (failures {sorted(_DEFAULT_VERDICTS)}, "
                        "verdicts build / runtime / stricter)"
                    )
        for key in (*t.positional, *t.code_positional):
            if key not in t.params:
                out.append(f"{t.type}.{key}: positional, but not a param of the entry")
        for old, new in t.renamed:
            if new not in t.params or old in t.params:
                out.append(f"{t.type}: renamed {old} -> {new} must map an unknown name to a param")
        if t.call_ports and (t.max_inputs is None or len(t.call_ports) < t.max_inputs):
            out.append(f"{t.type}: call_ports must name every input port ({t.arity_text()})")
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
        if None in param.choices:  # a choice that offers None (TextVectorization(split=None))
            return None
        # None is the Keras default for optional params of several kinds; accept it for all
        # optional params whose default is None, refuse it for the others.
        if (
            param.default is None or param.kind in ("any", "activation") or None in param.choices
        ):  # activation=None: linear
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
    if kind in _LIST_KINDS:
        return _LIST_KINDS[kind](param, value)
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
    if kind in _PAD_RANK:
        rank = _PAD_RANK[kind]
        pads = pad_pairs(value, rank)
        if pads is None:
            return f"`{param.name}` must be an int, a tuple of {rank} ints or a tuple of {rank} tuples of 2 ints"
        for v in (x for pair in pads for x in pair):
            msg = _range(param, v)
            if msg:
                return msg
        return None
    if kind == "str":
        return None if isinstance(value, str) else f"`{param.name}` must be a string"
    if kind == "axes":  # an axis or a tuple of axes (negative counts from the end)
        values = (value,) if _is_int(value) else value
        if not isinstance(values, (list, tuple)) or not values or not all(_is_int(v) for v in values):
            return f"`{param.name}` must be an integer or a non-empty tuple of integers"
        if len(set(values)) != len(values):
            return f"`{param.name}` must not repeat an axis. Received: {param.name}={value!r}"
        for v in values:
            msg = _range(param, v)
            if msg:
                return msg
        return None
    if kind == "dims":  # a positive integer or a tuple of them (None: a dim left to the input)
        values = (value,) if _is_int(value) else value
        if not isinstance(values, (list, tuple)) or not values:
            return f"`{param.name}` must be a positive integer or a non-empty tuple of positive integers or None"
        for v in values:
            if v is None and not _is_int(value):
                continue
            if not _is_int(v):
                return f"`{param.name}` must be a positive integer or a non-empty tuple of positive integers or None"
            msg = _range(param, v)
            if msg:
                return msg
        return None
    if kind == "layer":
        return _check_inner(param, value)
    return f"`{param.name}` has an unknown kind {kind!r}"


def param_failure(param: Param, value: Any, activations: tuple[str, ...]) -> str | None:
    """How ``value`` fails ``param``: ``"below_min"``, ``"above_max"``, ``"non_integer"``, ``"invalid"``,
    or None when it fits.

    A value whose numbers are all well-typed but one is out of range fails by its range (below the
    minimum first); any other refusal is ``invalid``.
    """
    if check_param(param, value, activations) is None:
        return None
    numbers = _numbers(param, value)
    if numbers is None:
        loose = param.kind in ("int", "int_or_tuple", "shape") and _numbers(param, value, integral=False) is not None
        return "non_integer" if loose else "invalid"
    lo, hi = param.min, param.max
    if lo is not None and any(v < lo or (param.exclusive_min and v == lo) for v in numbers):
        return "below_min"
    if hi is not None and any(v > hi for v in numbers):
        return "above_max"
    return "invalid"


def keras_verdict(param: Param, value: Any, activations: tuple[str, ...]) -> str | None:
    """What Keras does with a value the catalog refuses (build, runtime or stricter); None if it fits."""
    failure = param_failure(param, value, activations)
    if failure is None:
        return None
    if failure == "below_min" and param.keras_min is not None:
        numbers = _numbers(param, value) or []
        if any(v < param.keras_min for v in numbers):
            return "build"
    return param.verdict(failure)


def _numbers(param: Param, value: Any, integral: bool | None = None) -> list[float] | None:
    """The numbers a range applies to, when ``value`` is well-typed for its kind; else None.
    ``integral=False`` accepts floats where the kind wants ints."""
    if integral is None:
        integral = param.kind != "float"

    def number(v: Any) -> bool:
        return not isinstance(v, bool) and isinstance(v, int if integral else (int, float))

    kind = param.kind
    if kind in ("int", "float"):
        return [value] if number(value) else None
    if kind in ("int_or_tuple", "shape", "int_list"):
        values = [value] if isinstance(value, (int, float)) and not isinstance(value, bool) else value
        if not isinstance(values, (list, tuple)):
            return None
        values = [v for v in values if v is not None and not (kind == "int_list" and v == -1)]
        return list(values) if all(number(v) for v in values) else None
    if kind == "padding2d":
        pads = _pad2d(value)
        return None if pads is None else [x for pair in pads for x in pair]
    return None


def inner_layer(value: Any) -> tuple[str, dict[str, Any]] | None:
    """A wrapped layer as stored in a wrapper's config: ``{"type": "LSTM", "config": {...}}``."""
    if not isinstance(value, dict) or not isinstance(value.get("type"), str):
        return None
    config = value.get("config", {})
    if not isinstance(config, dict) or set(value) - {"type", "config"}:
        return None
    return value["type"], config


def type_label(type_name: str, config: Any) -> str:
    """A layer's type as people read it: ``Bidirectional(LSTM)`` for a wrapper, else the type."""
    inner = inner_layer(config.get("layer")) if isinstance(config, dict) else None
    return f"{type_name}({type_label(inner[0], inner[1])})" if inner else type_name


def _check_inner(param: Param, value: Any) -> str | None:
    """The shape of a wrapped layer's value (its own params are checked against its type by the validator)."""
    inner = inner_layer(value)
    if inner is None:
        return f'`{param.name}` must be a layer: {{"type": "<catalog type>", "config": {{...}}}}'
    if param.inner and inner[0] not in param.inner:
        return f"`{param.name}` must be a layer of type {', '.join(param.inner)}. Received: {inner[0]}"
    return None


def _is_int(v: Any) -> bool:
    return isinstance(v, int) and not isinstance(v, bool)


def _is_number(v: Any) -> bool:
    return isinstance(v, int | float) and not isinstance(v, bool) and math.isfinite(v)


def _check_factor(param: Param, value: Any) -> str | None:
    """A number or a pair ``(lower, upper)`` of numbers, each in the param's range (the ``factor``
    of Keras' random augmentations)."""
    what = f"`{param.name}` must be a number or a pair of numbers (lower, upper)"
    values = (value,) if _is_number(value) else value
    if not isinstance(values, list | tuple) or len(values) not in (1, 2) or not all(_is_number(v) for v in values):
        return f"{what}. Received: {param.name}={value!r}"
    if len(values) == 2 and values[0] > values[1]:
        return f"{what}, lower <= upper. Received: {param.name}={value!r}"
    for v in values:
        msg = _range(param, v)
        if msg:
            return msg
    return None


def _check_pair(param: Param, value: Any) -> str | None:
    """Exactly two numbers ``(low, high)`` (a ``value_range``; Keras does not check their order)."""
    if not isinstance(value, list | tuple) or len(value) != 2 or not all(_is_number(v) for v in value):
        return f"`{param.name}` must be a pair of two numbers (low, high). Received: {param.name}={value!r}"
    for v in value:
        msg = _range(param, v)
        if msg:
            return msg
    return None


def _check_numbers(param: Param, value: Any) -> str | None:
    """A number or a non-empty list of numbers (a mean, bin boundaries, an integer vocabulary)."""
    if _is_number(value):
        return _range(param, value)
    if not isinstance(value, list | tuple) or not value or not all(_is_number(v) for v in value):
        return f"`{param.name}` must be a number or a non-empty list of numbers. Received: {param.name}={_short(value)}"
    return None


def _check_str_list(param: Param, value: Any) -> str | None:
    """A non-empty list of distinct strings (a vocabulary), or one string: the path of a vocabulary
    file, which Keras reads when the layer is built."""
    if isinstance(value, str):
        return None if value else f"`{param.name}` must be a list of strings or a file path, not an empty string"
    if not isinstance(value, list | tuple) or not value or not all(isinstance(v, str) for v in value):
        return f"`{param.name}` must be a non-empty list of strings (or a file path). Received: {param.name}={_short(value)}"
    if len(set(value)) != len(value):
        seen: set[str] = set()
        dup = next(v for v in value if v in seen or seen.add(v))  # type: ignore[func-returns-value]
        return f"`{param.name}` must not repeat a token; {dup!r} appears more than once"
    return None


def _short(value: Any, limit: int = 80) -> str:
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."


_LIST_KINDS = {"factor": _check_factor, "pair": _check_pair, "numbers": _check_numbers, "str_list": _check_str_list}


def _range(param: Param, value: float) -> str | None:
    lo, hi = param.min, param.max
    if lo is not None and (value < lo or (param.exclusive_min and value == lo)):
        bound = f"greater than {lo}" if param.exclusive_min else f"at least {lo}"
        return f"`{param.name}` must be {bound}. Received: {param.name}={value!r}"
    if hi is not None and value > hi:
        return f"`{param.name}` must be at most {hi:,}. Received: {param.name}={value!r}"
    return None


# Param kinds of per-axis (before, after) amounts: ZeroPadding2D/3D, Cropping2D/3D.
PAD_RANK = {"padding2d": 2, "padding3d": 3}
_PAD_RANK = PAD_RANK


def pad_pairs(value: Any, rank: int) -> tuple[tuple[int, int], ...] | None:
    """``n``, ``rank`` ints or ``rank`` pairs of ints -> one ``(before, after)`` pair per axis, as Keras
    normalises ZeroPadding/Cropping arguments (None when ``value`` is none of these)."""

    def is_int(v: Any) -> bool:
        return isinstance(v, int) and not isinstance(v, bool)

    if is_int(value):
        return ((value, value),) * rank
    if isinstance(value, (list, tuple)) and len(value) == rank:
        if all(is_int(v) for v in value):
            return tuple((v, v) for v in value)
        if all(isinstance(v, (list, tuple)) and len(v) == 2 and all(is_int(x) for x in v) for v in value):
            return tuple((v[0], v[1]) for v in value)
    return None


def _pad2d(value: Any) -> tuple[tuple[int, int], tuple[int, int]] | None:
    return pad_pairs(value, 2)  # type: ignore[return-value]


pad2d = _pad2d
