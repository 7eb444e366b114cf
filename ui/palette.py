"""The palette: a search box over the catalog (type names, aliases, doc words; see
:mod:`ui.palette_search`) and one folding section per category, in the catalog's order (Keras'
module grouping). A click adds a node; with a node selected (and the toggle on) the new node is
connected after it and placed to its right."""

from __future__ import annotations

from typing import Any

import streamlit as st

from builder.core.catalog import LayerType, catalog
from builder.core.graph import Graph
from builder.core.layout import X_GAP, Y_GAP
from builder.errors import GraphEditError

from .document import Document
from .palette_search import search

CATEGORY_ICONS = {
    "core": ":material/widgets:",
    "recurrent": ":material/repeat:",
    "convolution": ":material/grid_on:",
    "pooling": ":material/compress:",
    "merge": ":material/call_merge:",
    "attention": ":material/center_focus_strong:",
    "normalization": ":material/tune:",
    "activations": ":material/show_chart:",
    "regularization": ":material/blur_on:",
    "reshaping": ":material/transform:",
    "preprocessing": ":material/photo_filter:",
}
DEFAULT_ICON = ":material/category:"
OPEN_CATEGORIES = ("core", "merge")  # open at first; the others fold (100+ types)
CHAIN_KEY = "kgb_chain"
SEARCH_KEY = "palette_search"
SHORT_NAME = 11  # longer type names get a row of their own (two columns cut them off)


def free_position(graph: Graph, x: float, y: float) -> tuple[float, float]:
    """(x, y), moved down until no node sits there."""
    taken = [n.position for n in graph.nodes if n.position is not None]
    while any(abs(px - x) < X_GAP * 0.8 and abs(py - y) < Y_GAP * 0.6 for px, py in taken):
        y += Y_GAP
    return (x, y)


def add_node(doc: Document, type_name: str, chain: bool = True) -> str | None:
    g = doc.graph
    lt = catalog().types[type_name]
    after = doc.selected if chain and lt.max_inputs != 0 and doc.selected in g.node_by_id else None
    if after is not None and g.node_by_id[after].position is not None:
        px, py = g.node_by_id[after].position  # type: ignore[misc]
        pos = free_position(g, px + X_GAP, py)
    else:
        placed = [n.position for n in g.nodes if n.position is not None]
        if placed:
            pos = free_position(g, min(p[0] for p in placed), max(p[1] for p in placed) + Y_GAP)
        else:
            pos = (0.0, 0.0)
    try:
        g, nid = g.add(type_name, lt.starter, position=pos, inputs=[after] if after else [])
    except GraphEditError as exc:
        doc.message = ("error", str(exc))
        return None
    label = g.node_label(nid)
    doc.apply(g, f"add {label}" + (f" after {doc.graph.node_label(after)}" if after else ""))
    doc.select(nid)
    doc.fit_view = True  # bring the new node into view (the canvas keeps pan/zoom otherwise)
    return nid


def _on_add(doc: Document, type_name: str) -> None:
    add_node(doc, type_name, chain=bool(st.session_state.get(CHAIN_KEY, True)))


def render(doc: Document) -> None:
    st.markdown("#### Layers")
    st.toggle(
        "Connect new layers after the selected node",
        value=True,
        key=CHAIN_KEY,
        help="With a node selected, a new layer is fed by it and placed to its right; "
        "select nothing (click the empty canvas) to add a free node.",
    )
    query = st.text_input(
        "Search layers",
        key=SEARCH_KEY,
        placeholder="Search: conv, pool, lstm, dropout ...",
        help="Filters by type name, Keras class, alias and the words of each layer's description.",
        label_visibility="collapsed",
    )
    if query.strip():
        _render_found(doc, query)
        return
    for cat, types in catalog().by_category().items():
        if not types:
            continue
        box = st.expander(
            f"{cat.capitalize()} ({len(types)})",
            expanded=cat in OPEN_CATEGORIES,
            icon=CATEGORY_ICONS.get(cat, DEFAULT_ICON),
            key=f"palette_cat_{cat}",
            on_change="rerun",
        )
        if box.open is False:  # folded categories cost nothing on a rerun
            continue
        with box:
            _buttons(doc, types)


def _render_found(doc: Document, query: str) -> None:
    found = search(catalog().types.values(), query)
    if not found.all:
        st.caption(f"No layer type matches “{query.strip()}”. `kgb layers` lists them all.")
        return
    st.caption(f"{len(found.all)} of {len(catalog().types)} types")
    _buttons(doc, found.by_name)
    if found.by_doc:
        st.caption("Mentioned in the description:")
        _buttons(doc, found.by_doc)


def _buttons(doc: Document, types: tuple[LayerType, ...] | list[LayerType]) -> None:
    """Short names two to a row, then the long ones (``GlobalAveragePooling2D``) one to a row, so
    that no name is cut off in the sidebar."""
    short = [t for t in types if len(t.type) <= SHORT_NAME]
    cols = st.columns(2)
    for i, t in enumerate(short):
        _button(cols[i % 2], doc, t)
    for t in types:
        if len(t.type) > SHORT_NAME:
            _button(st, doc, t)


def _button(where: Any, doc: Document, t: LayerType) -> None:
    where.button(
        t.type,
        key=f"palette:{t.type}",
        help=f"{t.doc} ({t.category}; keras: {t.keras})",
        on_click=_on_add,
        args=(doc, t.type),
        width="stretch",
    )
