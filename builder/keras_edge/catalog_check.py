"""The catalog against the installed Keras: every entry's class, params, defaults, positional
order, aliases, helper, Keras-2 names and category, read from the live classes with
:func:`inspect.signature` (as Netron regenerates its Keras metadata from the framework).

``drift()`` returns one :class:`Drift` per disagreement, naming the type and the param;
``scripts/check_catalog.py`` prints them and ``tests/core/test_catalog_vs_keras.py`` fails on any.

How a param is found: in the class' own ``__init__`` signature; else, when the class takes
``**kwargs``, in ``keras.layers.Layer.__init__`` (``activity_regularizer``); else in the
``get_config()`` of a layer built from the entry's starter values (params Keras pops from
``**kwargs``, such as LayerNormalization's deprecated ``rms_scaling``). Defaults are compared
under the catalog's one rule, :func:`builder.core.catalog.is_default`.
"""

from __future__ import annotations

import inspect
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from ..core.catalog import Catalog, LayerType, catalog, is_default
from .runtime import keras_module

_EMPTY = inspect.Parameter.empty
_POSITIONAL_KINDS = (inspect.Parameter.POSITIONAL_ONLY, inspect.Parameter.POSITIONAL_OR_KEYWORD)


@dataclass(frozen=True)
class Drift:
    type: str
    param: str | None  # None: about the type itself
    message: str

    def __str__(self) -> str:
        where = f"{self.type}.{self.param}" if self.param else self.type
        return f"{where}: {self.message}"


@dataclass(frozen=True)
class CheckResult:
    drift: tuple[Drift, ...]
    types: int  # entries checked
    params: int  # params found in Keras
    defaults: int  # defaults compared

    @property
    def ok(self) -> bool:
        return not self.drift


def resolve(keras: Any, dotted: str) -> Any:
    """``keras.layers.Conv2D`` -> the class (AttributeError when this Keras lacks it)."""
    obj = keras
    for part in dotted.split(".")[1:]:
        obj = getattr(obj, part)
    return obj


def signature_params(target: Any) -> list[inspect.Parameter]:
    """The constructor's parameters, ``self`` left out (a function's own parameters)."""
    fn = target.__init__ if inspect.isclass(target) else target
    return [p for p in inspect.signature(fn).parameters.values() if p.name != "self"]


def check(cat: Catalog | None = None, types: Iterable[str] | None = None) -> CheckResult:
    cat = cat or catalog()
    keras = keras_module()
    base = {p.name: p for p in signature_params(keras.layers.Layer)}
    out: list[Drift] = []
    counts = [0, 0, 0]
    for name in types if types is not None else cat.types:
        ltype = cat[name]
        counts[0] += 1
        out += _check_type(keras, cat, ltype, base, counts)
    return CheckResult(tuple(out), *counts)


def drift(cat: Catalog | None = None) -> list[Drift]:
    return list(check(cat).drift)


def _check_type(
    keras: Any, cat: Catalog, ltype: LayerType, base: dict[str, inspect.Parameter], counts: list[int]
) -> list[Drift]:
    t = ltype.type
    out: list[Drift] = []
    try:
        target = resolve(keras, ltype.keras)
    except AttributeError:
        return [Drift(t, None, f"{ltype.keras} does not exist in Keras {keras.__version__}")]
    params = signature_params(target)
    sig = {p.name: p for p in params}
    takes_kwargs = any(p.kind == inspect.Parameter.VAR_KEYWORD for p in params)
    config: dict[str, Any] | None = None

    for pname, param in ltype.params.items():
        where = ""
        if pname in sig:
            kp = sig[pname]
        elif takes_kwargs and pname in base:
            kp, where = base[pname], " (keras.layers.Layer)"
        else:
            kp = None
        if kp is None:
            if config is None:
                config = _config(target, ltype) if takes_kwargs and inspect.isclass(target) else {}
            if pname not in config:
                out.append(Drift(t, pname, f"not a parameter of {ltype.keras} in Keras {keras.__version__}"))
                continue
            counts[1] += 1
            value = config[pname]
            if param.required or isinstance(value, dict):
                continue  # serialized objects are not comparable with catalog defaults
            counts[2] += 1
            if not is_default(param, value):
                out.append(Drift(t, pname, f"catalog default {param.default!r}, Keras default {value!r} (get_config)"))
            continue
        counts[1] += 1
        keras_required = kp.default is _EMPTY
        if keras_required and not param.required:
            out.append(Drift(t, pname, f"Keras requires it; the catalog gives a default {param.default!r}"))
        elif not keras_required and not param.required:
            counts[2] += 1
            if not is_default(param, kp.default):
                out.append(Drift(t, pname, f"catalog default {param.default!r}, Keras default {kp.default!r}{where}"))

    # positional order: the catalog's is a prefix of Keras', as long as the catalog knows the names
    keras_pos = [p.name for p in params if p.kind in _POSITIONAL_KINDS]
    pos = list(ltype.positional)
    if keras_pos[: len(pos)] != pos:
        out.append(Drift(t, None, f"positional order {pos} is not the start of Keras' {keras_pos}"))
    elif len(keras_pos) > len(pos) and keras_pos[len(pos)] in ltype.params:
        nxt = keras_pos[len(pos)]
        out.append(Drift(t, nxt, f"positional in Keras after {pos[-1] if pos else 'nothing'}; add it to `positional`"))
    code = list(ltype.code_positional)
    if pos[: len(code)] != code:
        out.append(Drift(t, None, f"code_positional {code} is not the start of positional {pos}"))

    for key in sorted(ltype.keras2):
        if key in sig:
            out.append(Drift(t, key, f"listed as Keras-2-only, but Keras {keras.__version__} takes it"))

    for alias in ltype.aliases:
        other = getattr(keras.layers, alias, None)
        if inspect.isclass(other) and inspect.isclass(target) and other is not target:
            out.append(Drift(t, None, f"alias {alias} is keras.layers.{alias}, a different class"))
    if ltype.helper is not None and not callable(getattr(keras.layers, ltype.helper, None)):
        out.append(Drift(t, None, f"helper keras.layers.{ltype.helper} does not exist"))

    module = getattr(target, "__module__", "")
    category = cat.category_of_module(module)
    if category is None:
        out.append(Drift(t, None, f"{module}: no category in catalog.json's keras_modules"))
    elif category != ltype.category:
        out.append(Drift(t, None, f"category {ltype.category!r}; Keras keeps it in {module} ({category!r})"))
    return out


def _config(target: Any, ltype: LayerType) -> dict[str, Any]:
    """``get_config()`` of a layer built from the entry's starter values ({} when it cannot be)."""
    try:
        return dict(target(**ltype.starter).get_config())
    except Exception:  # noqa: BLE001 - a starter Keras refuses shows up as "not a parameter"
        return {}
