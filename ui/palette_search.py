"""The palette's search (pure Python, no Streamlit): which catalog types a query finds.

Every word of the query must be found: in the type's names (type, Keras class, aliases, helper;
anywhere in the name) or as the start of a word of its doc or of its category. Types found by
their names come first ("conv" finds Conv2D and DepthwiseConv2D), then those only their doc
mentions ("conv" also finds a layer whose doc says "convolutional decoder"); each in catalog order.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from builder.core.catalog import LayerType

_WORD = re.compile(r"[a-z0-9_]+")


@dataclass(frozen=True)
class Found:
    by_name: tuple[LayerType, ...]  # every query word is in one of the type's names
    by_doc: tuple[LayerType, ...]  # the others: some word is only in the doc or the category

    @property
    def all(self) -> tuple[LayerType, ...]:
        return self.by_name + self.by_doc


def query_words(query: str) -> list[str]:
    return _WORD.findall(query.lower())


def names_text(t: LayerType) -> str:
    return " ".join((t.type, t.class_name, *t.aliases, *((t.helper,) if t.helper else ()))).lower()


def search(types: Iterable[LayerType], query: str) -> Found:
    words = query_words(query)
    types = list(types)
    if not words:
        return Found(tuple(types), ())
    by_name: list[LayerType] = []
    by_doc: list[LayerType] = []
    for t in types:
        names = names_text(t)
        if all(w in names for w in words):
            by_name.append(t)
            continue
        doc_words = _WORD.findall(f"{t.doc} {t.category}".lower())
        if all(w in names or any(d.startswith(w) for d in doc_words) for w in words):
            by_doc.append(t)
    return Found(tuple(by_name), tuple(by_doc))
