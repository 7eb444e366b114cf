"""Warnings for preprocessing layers that need ``adapt()`` (or a vocabulary, or statistics) before
they can be trained: the builder draws and exports the model, but the layer's state comes from data.

=====================  ========================================  =======================================
layer                  missing                                   what Keras does with data
=====================  ========================================  =======================================
StringLookup,          ``vocabulary``                            fails ("table not initialized"), or
IntegerLookup,                                                   the encoded width is unknown
TextVectorization
Discretization         ``bin_boundaries`` (``num_bins`` only)    fails: "call adapt(dataset)"
Normalization          ``mean`` and ``variance``                 runs as the identity (mean 0,
                                                                 variance 1): nothing is normalised
a lookup               a vocabulary *file* (a path)              reads it when built: not checked here
=====================  ========================================  =======================================

Code ``needs_adapt``, severity ``warning``; one per layer, on its first live call.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from typing import Any

from .catalog import Catalog
from .dtypes import Problem
from .graph import Graph

_LOOKUPS = ("StringLookup", "IntegerLookup", "TextVectorization")
_TYPES = frozenset({*_LOOKUPS, "Discretization", "Normalization"})


def _message(type_name: str, name: str, config: Mapping[str, Any]) -> tuple[str, str] | None:
    """(message, keras verdict) when the layer needs adapt(), else None."""
    if type_name in _LOOKUPS and config.get("vocabulary") is None:
        return (
            f"{type_name} layer '{name}' has no vocabulary: pass `vocabulary=[...]` or call "
            f"`layer.adapt(data)` on the built model's layer before training. Keras builds the model, but "
            "calling it on data fails until the vocabulary is set.",
            "runtime",
        )
    if type_name in _LOOKUPS and isinstance(config.get("vocabulary"), str):
        return (
            f"{type_name} layer '{name}' reads its vocabulary from the file {config['vocabulary']!r} when Keras "
            "builds it; the builder never opens files, so the vocabulary size (and an encoded output's width) "
            "is unknown here, and Keras fails if the file is missing.",
            "runtime",
        )
    if type_name == "Discretization" and config.get("bin_boundaries") is None:
        return (
            f"Discretization layer '{name}' has no `bin_boundaries` (num_bins={config.get('num_bins')!r} is "
            "learnt by `layer.adapt(data)`): call adapt() before training, or set `bin_boundaries`. Keras "
            "builds the model; calling it on data fails until then.",
            "runtime",
        )
    if type_name == "Normalization" and config.get("mean") is None:
        return (
            f"Normalization layer '{name}' has no `mean` and `variance`: call `layer.adapt(data)` before "
            "training, or set both. Until then Keras runs it as the identity (mean 0, variance 1): nothing "
            "is normalised.",
            "stricter",
        )
    return None


def problems(
    graph: Graph,
    cat: Catalog,
    resolved: Mapping[str, Mapping[str, Any]],
    live: Collection[str] | None = None,
) -> list[Problem]:
    out: list[Problem] = []
    for layer in graph.layers:
        if layer.type not in _TYPES:
            continue
        calls = [n for n in graph.calls.get(layer.id, []) if live is None or n in live]
        if not calls:
            continue
        found = _message(layer.type, layer.name, resolved.get(layer.id, layer.config))
        if found:
            out.append(Problem(calls[0], None, "warning", "needs_adapt", found[0], found[1]))
    return out
