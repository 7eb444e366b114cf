"""The canvas view: reads the component's answer into graph edits, then draws the graph."""

from __future__ import annotations

import streamlit as st

from .costs import SHOW_FLOPS, flops_by_node, human_flops
from .document import Document
from .flow import (
    FLOW_KEY,
    SyncState,
    apply_answer,
    flow_component,
    layout_answer,
    plan_push,
    read_answer,
    view_edges,
    view_nodes,
)

# Canvas and inspector share this height; with the editor's page style (ui/editor.py) the bottom
# tabs start above the fold of a 1440x900 window (tests/ui/test_browser_layout.py).
CANVAS_HEIGHT = 620
LAST_PAGE = "kgb_page"  # the page of the previous run


def consume_answer(doc: Document, sync: SyncState) -> None:
    """Apply what the user did on the canvas since the last run (before anything is drawn).

    An answer is the component's whole state, made on the graph it was last drawn from
    (``sync.graph``). When a callback of this same run (Undo, Redo, an inspector edit...) has
    already replaced the graph, the answer describes an older graph: diffing it against the new
    one would turn the redraw into edits nobody made (re-deleting what Undo brought back), so it
    is dropped and the component is made to adopt the current graph."""
    kind, value = read_answer(sync, st.session_state.get(FLOW_KEY))
    if kind in ("echo", "new") and sync.fit_answers:
        sync.fit_answers -= 1
    if kind == "new" and value is not None and sync.graph is not None and sync.graph is not doc.graph:
        sync.known = None
        return
    if kind == "new" and value is not None:
        change = apply_answer(doc.graph, value)
        if change.label:
            doc.apply(change.graph, change.label)
            doc.select(change.selected)
        elif not layout_answer(sync, value):
            doc.select(change.selected)  # a click on a node or on the empty pane (or Escape)
        sync.echo_ts = None
    elif kind == "refused":
        sync.known = None  # the component kept its own state: make it adopt ours again


def render(doc: Document, sync: SyncState) -> None:
    show_flops = st.toggle(
        "FLOPs on nodes",
        key=SHOW_FLOPS,
        help="Show each node's inference FLOPs per sample (as TensorFlow's profiler counts them) on the canvas.",
    )
    cache = st.session_state.setdefault("kgb_view_cache", {})
    if cache.get("graph") is not doc.graph or cache.get("selected") != doc.selected or cache.get("flops") != show_flops:
        flops = None
        if show_flops:
            flops = {nid: human_flops(n) for nid, n in (flops_by_node(doc) or {}).items()}
        cache.update(
            graph=doc.graph,
            selected=doc.selected,
            flops=show_flops,
            nodes=view_nodes(doc.graph, doc.report, doc.selected, flops),
            edges=view_edges(doc.graph),
        )
    pushed = plan_push(sync, cache["nodes"], cache["edges"])
    sync.graph = doc.graph
    entering = st.session_state.get(LAST_PAGE) != "editor"  # (re)mounted: show the whole graph
    st.session_state[LAST_PAGE] = "editor"
    fit = entering or (doc.fit_view and pushed)
    if pushed:
        doc.fit_view = False
        # The component fits after its layout pass, which ends after its echo's rerun has drawn
        # it again: keep asking until both of its answers to this push (echo, layout) are in.
        sync.fit_answers = 2 if fit else 0
    fit = fit or sync.fit_answers > 0
    if not doc.graph.nodes:
        st.info(
            "Empty canvas. Add an **Input** from the palette on the left, then the layers that follow "
            "(with a node selected, a new layer is connected after it), or open a template.",
            icon=":material/draw:",
        )
    flow_component(sync, height=CANVAS_HEIGHT, fit_view=fit)
