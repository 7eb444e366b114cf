"""Session state of the editor: the open :class:`~ui.document.Document` and the canvas sync.

The document is a model of the workspace (:mod:`ui.workspace`): its id travels in the URL
(``?doc=...``) so that a browser refresh, which starts a new Streamlit session, opens the model
again with its undo history; a link with another model's id opens that one. ``?template=NAME``
opens a template (as a new model when the open one already holds a graph).
"""

from __future__ import annotations

import streamlit as st

from builder.core.graph import Graph
from builder.core.layout import auto_layout, readable
from builder.core.templates import get_template

from . import workspace
from .document import Document
from .flow import SyncState

DOC = "kgb_doc"
SYNC = "kgb_sync"


def document() -> Document:
    doc: Document | None = st.session_state.get(DOC)
    qp = st.query_params
    wanted = qp.get("doc")
    if doc is None or workspace.names_other(doc, wanted):
        doc = workspace.document_for(wanted)
        st.session_state[DOC] = doc
    name = qp.get("template")
    if name:
        load_template(doc, name)
        doc = st.session_state[DOC]
        del qp["template"]
    if qp.get("doc") != doc.doc_id:
        qp["doc"] = doc.doc_id
    return doc


def _target(doc: Document) -> Document:
    """Where a template or file opens: ``doc`` while it is empty, else a new model."""
    b = workspace.binding(doc)
    if b is None or (b.model_id is None and not doc.graph.nodes):
        return doc
    fresh = workspace.new_document()
    st.session_state[DOC] = fresh
    return fresh


def load_template(doc: Document, name: str) -> bool:
    try:
        template = get_template(name)
        graph = template.load()
    except KeyError as exc:
        doc.message = ("error", str(exc.args[0]) if exc.args else str(exc))
        return False
    except Exception as exc:  # a broken template file must not take the page down
        doc.message = ("error", f"Template {name!r} cannot be read: {exc}")
        return False
    doc = _target(doc)
    load_graph(doc, readable(graph), f"open template {template.title}")
    doc.message = ("success", f"Opened template “{template.title}”.")
    return True


def load_graph(doc: Document, graph: Graph, label: str) -> None:
    """Replace the document's graph (undoable), laid out when it has no positions."""
    doc.apply(auto_layout(graph), label)
    doc.selected = None
    doc.fit_view = True


def sync() -> SyncState:
    s: SyncState | None = st.session_state.get(SYNC)
    if s is None:
        s = SyncState()
        st.session_state[SYNC] = s
    return s
