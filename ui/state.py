"""Session state of the editor: the open :class:`~ui.document.Document` and the canvas sync.

The document id travels in the URL (``?doc=...``) so that a browser refresh, which starts a
new Streamlit session, finds the graph again in the file store. ``?template=NAME`` opens a
template (then the URL is rewritten to the document's id so that a refresh keeps the edits).
"""

from __future__ import annotations

import streamlit as st

from builder.graph import Graph
from builder.layout import auto_layout, readable
from builder.templates import get_template

from .document import Document, store_load, store_save, valid_doc_id
from .flow import SyncState

DOC = "kgb_doc"
SYNC = "kgb_sync"
RECENT = "kgb_recent"  # the documents this session had open before, newest first
RECENT_LIMIT = 8


def document() -> Document:
    doc: Document | None = st.session_state.get(DOC)
    qp = st.query_params
    if doc is None:
        doc = Document()
        wanted = qp.get("doc")
        if valid_doc_id(wanted):
            graph = store_load(wanted)
            if graph is not None:
                doc = Document(graph=auto_layout(graph), doc_id=wanted)
        st.session_state[DOC] = doc
        store_save(doc.doc_id, doc.graph)
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


def load_graph(doc: Document, graph: Graph, label: str) -> Document:
    """Open ``graph``, laid out when it has no positions; returns the document holding it.

    Over a model with nodes (this session's open document) it opens as a new document, and the
    previous one goes to the recent-documents list, edits and history intact: opening a template
    or a file never replaces a model without a way back. Otherwise it is one undoable step."""
    target = doc
    if doc.graph.nodes and st.session_state.get(DOC) is doc:
        _remember(doc)
        target = Document()
        st.session_state[DOC] = target
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
    st.session_state[DOC] = doc
    doc.fit_view = True
    sync().known = None


def sync() -> SyncState:
    s: SyncState | None = st.session_state.get(SYNC)
    if s is None:
        s = SyncState()
        st.session_state[SYNC] = s
    return s
