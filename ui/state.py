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

DOC = workspace.DOC  # the session key of the open document
SYNC = "kgb_sync"
RECENT = "kgb_recent"  # the documents this session had open before, newest first
RECENT_LIMIT = 8


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
        del qp["template"]
        doc = st.session_state[DOC]  # the template may have opened as a new document
    if qp.get("doc") != doc.doc_id:
        qp["doc"] = doc.doc_id
    return doc


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
    opened = load_graph(doc, readable(graph), f"open template {template.title}")
    opened.message = ("success", f"Opened template “{template.title}”." + _kept_note(opened, doc))
    return True


def _kept_note(opened: Document, previous: Document) -> str:
    if opened is previous:
        return ""
    return f" The previous model, “{previous.graph.name or 'model'}”, is under Recent documents."


def recent() -> list[Document]:
    return st.session_state.setdefault(RECENT, [])


def _remember(doc: Document) -> None:
    docs = [d for d in recent() if d is not doc]
    st.session_state[RECENT] = ([doc] + docs)[:RECENT_LIMIT]


def load_graph(doc: Document, graph: Graph, label: str, *, in_place: bool = False) -> Document:
    """Open ``graph``, laid out when it has no positions; returns the document holding it.

    Over a model with nodes (this session's open document) it opens as a new document, and the
    previous one goes to the recent-documents list, edits and history intact: opening a template
    or a file never replaces a model without a way back. Otherwise (or ``in_place``: a version of
    the same model) it is one undoable step."""
    target = doc
    if doc.graph.nodes and st.session_state.get(DOC) is doc and not in_place:
        _remember(doc)
        # a new model of the workspace (saved at its first change); the URL names it from now on
        target = workspace.set_document(workspace.new_document())
        sync().known = None  # the canvas adopts the new document's graph
    target.apply(auto_layout(graph), label)
    target.selected = None
    target.fit_view = True
    return target


def switch_to(doc: Document) -> None:
    """Make a recent document the open one (the open one goes to the recent list)."""
    current: Document | None = st.session_state.get(DOC)
    if current is doc:
        return
    st.session_state[RECENT] = [d for d in recent() if d is not doc]
    if current is not None:
        _remember(current)
    workspace.set_document(doc)
    doc.fit_view = True
    sync().known = None


def sync() -> SyncState:
    s: SyncState | None = st.session_state.get(SYNC)
    if s is None:
        s = SyncState()
        st.session_state[SYNC] = s
    return s
