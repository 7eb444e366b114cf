"""Session state of the editor: the open :class:`~ui.document.Document` and the canvas sync.

The document id travels in the URL (``?doc=...``) so that a browser refresh, which starts a
new Streamlit session, finds the graph again in the file store. ``?template=NAME`` opens a
template (then the URL is rewritten to the document's id so that a refresh keeps the edits).
"""

from __future__ import annotations

import streamlit as st

from builder.core.graph import Graph
from builder.core.layout import auto_layout, readable
from builder.core.templates import get_template

from .document import Document, store_load, store_save, valid_doc_id
from .flow import SyncState

DOC = "kgb_doc"
SYNC = "kgb_sync"


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
