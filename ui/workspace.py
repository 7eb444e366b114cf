"""The editor's link to the workspace database (:mod:`builder.store`).

One :class:`~builder.store.Workspace` per app server process and database URL, opened lazily at
the first use (``KGB_DATA_DIR`` / ``KGB_DATABASE_URL`` are read then); the old temp-folder
documents are imported once when it opens.

A :class:`~ui.document.Document` is *bound* to a model by its ``on_change`` hook, a
:class:`Saver`: every change of the graph (edit, undo, redo) saves the graph with its undo
history in one transaction, at the revision this tab read. When another tab saved first the
store refuses (:class:`~builder.store.ConflictError`); nothing is overwritten, this tab stops
saving and :func:`banner` offers to reload the saved model, or keep this tab's graph as a new
version or as a new model. A document is bound to a new model at its first change, so opening
the editor does not fill the Models page with empty models. The URL carries the model id
(``?doc=ID``; a 16-hex id of an imported temp-folder document finds its model too).
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass

import streamlit as st
from sqlalchemy.exc import SQLAlchemyError

from builder.core.graph import Graph
from builder.core.layout import auto_layout
from builder.store import ConflictError, StoreError, UndoHistory, Workspace, database_url

from .document import Document

DOC = "kgb_doc"  # the session key of the open document (ui/state.py uses it too)
_MODEL_ID = re.compile(r"^[A-Za-z0-9_-]{16,64}$")
_LOCK = threading.Lock()
_OPEN: dict[str, Workspace] = {}


def workspace() -> Workspace:
    """This process's workspace for the configured database (opened, migrated and the legacy
    documents imported at the first call). Raises :class:`StoreError` when it cannot open."""
    url = database_url()
    with _LOCK:
        ws = _OPEN.get(url)
        if ws is None:
            ws = Workspace.open(url)
            try:
                ws.import_legacy()
            except (StoreError, SQLAlchemyError):  # an import problem must not keep the editor closed
                pass
            _OPEN[url] = ws
    return ws


def is_model_ref(value: object) -> bool:
    return isinstance(value, str) and bool(_MODEL_ID.match(value))


def names_other(doc: Document, wanted: object) -> bool:
    """Whether a URL's ``?doc=`` names another model than the open document."""
    if not is_model_ref(wanted) or wanted == doc.doc_id:
        return False
    b = binding(doc)
    return b is None or wanted not in b.aliases


# ---------------------------------------------------------------------- binding a document


@dataclass
class Binding:
    model_id: str | None = None
    revision: int = 0
    conflict: ConflictError | None = None
    error: str | None = None  # the last save failure other than a conflict
    aliases: tuple[str, ...] = ()  # earlier ids of the document (a URL may still carry one)


class Saver:
    """``Document.on_change``: saves every change of the graph, with the undo history."""

    def __init__(self, binding: Binding) -> None:
        self.binding = binding

    def __call__(self, doc: Document) -> None:
        b = self.binding
        if b.conflict is not None:
            return  # never overwrite: the banner asks what to do
        history = UndoHistory(tuple(doc.past), tuple(doc.future))
        try:
            ws = workspace()
            if b.model_id is None:
                b.model_id = ws.create_model(doc.graph.name or "model", doc.graph, history, report=doc.report)
                b.revision = 1
                b.aliases += (doc.doc_id,)
                doc.doc_id = b.model_id
                _set_url(b.model_id)
            else:
                b.revision = ws.save(b.model_id, doc.graph, history, b.revision, report=doc.report)
            b.error = None
        except ConflictError as exc:
            b.conflict = exc
            doc.message = ("warning", f"Not saved: {exc}.")
        except (StoreError, SQLAlchemyError) as exc:
            b.error = str(exc)
            doc.message = ("error", f"The workspace could not save this edit (it stays in this tab): {exc}")


def ensure_model(doc: Document) -> str:
    """The id of the model ``doc`` is saved in, creating it (and binding ``doc``) when needed."""
    b = binding(doc)
    if b is None:
        b = Binding()
        doc.on_change = Saver(b)
    if b.model_id is None:
        Saver(b)(doc)  # creates it
        if b.model_id is None:
            raise StoreError(b.error or "the model could not be created")
    return b.model_id


def _set_url(model_id: str) -> None:
    try:
        st.query_params["doc"] = model_id
    except Exception:  # outside a Streamlit script (unit tests): nothing to update
        pass


def binding(doc: Document) -> Binding | None:
    saver = getattr(doc, "on_change", None)
    return saver.binding if isinstance(saver, Saver) else None


def bind(doc: Document, model_id: str | None = None, revision: int = 0) -> Document:
    doc.on_change = Saver(Binding(model_id, revision))
    return doc


def new_document() -> Document:
    """A document bound to no model yet (one is created at its first change)."""
    return bind(Document())


def open_model(model_id: str) -> Document:
    """The model as a bound document, with its undo history. Raises :class:`StoreError`."""
    m = workspace().get_model(model_id)
    doc = Document(graph=auto_layout(m.graph), doc_id=m.id, past=list(m.history.past), future=list(m.history.future))
    return bind(doc, m.id, m.revision)


def document_for(wanted: object) -> Document:
    """The document a URL's ``?doc=`` names: a model id, an imported legacy id, else a new one."""
    if is_model_ref(wanted):
        try:
            ws = workspace()
            model_id = ws.find_legacy(str(wanted)) or str(wanted)
            return open_model(model_id)
        except StoreError as exc:
            doc = new_document()
            if "no model with id" not in str(exc):
                doc.message = ("error", f"The model in the link cannot be opened: {exc}")
            return doc
    return new_document()


def set_document(doc: Document) -> Document:
    """Make ``doc`` this session's open document (and put its id in the URL)."""
    st.session_state[DOC] = doc
    _set_url(doc.doc_id)
    return doc


def open_graph_as_new(graph: Graph, label: str, name: str | None = None) -> Document:
    """A new model holding ``graph`` (its first undo step: ``label``), opened in this session."""
    doc = new_document()
    doc.apply(auto_layout(graph), label)
    b = binding(doc)
    if name and b is not None and b.model_id is not None:
        try:
            workspace().rename(b.model_id, name)
        except StoreError:
            pass
    doc.fit_view = True
    return set_document(doc)


# ---------------------------------------------------------------------- conflicts


def _reload(model_id: str) -> None:
    try:
        set_document(open_model(model_id)).message = ("info", "Reloaded the saved model; this tab's edits are gone.")
    except StoreError as exc:
        st.session_state[DOC].message = ("error", str(exc))


def _keep_as_version(doc: Document, model_id: str) -> None:
    try:
        v = workspace().create_version(model_id, "kept from another tab", graph=doc.graph)
        fresh = set_document(open_model(model_id))
        fresh.message = ("success", f"Your graph is kept as version {v.number}; this is the saved model.")
    except StoreError as exc:
        doc.message = ("error", str(exc))


def _keep_as_model(doc: Document, name: str) -> None:
    try:
        ws = workspace()
        history = UndoHistory(tuple(doc.past), tuple(doc.future))
        mid = ws.create_model(f"{name} (mine)", doc.graph, history, report=doc.report)
        fresh = set_document(open_model(mid))
        fresh.message = ("success", f"Your graph is now its own model, “{name} (mine)”.")
    except StoreError as exc:
        doc.message = ("error", str(exc))


def banner(doc: Document) -> None:
    """The editor's save status: a conflict with another tab, or a failed save."""
    b = binding(doc)
    if b is None:
        return
    if b.conflict is not None:
        c = b.conflict
        st.warning(
            f"**Another tab saved “{c.name}”** (revision {c.actual}) after this tab read it (revision "
            f"{c.expected}). This tab's edits are not saved and nothing was overwritten.",
            icon=":material/sync_problem:",
        )
        cols = st.columns(3)
        cols[0].button(
            "Reload the saved model", key="ws_reload", icon=":material/refresh:", on_click=_reload, args=(c.model_id,)
        )
        cols[1].button(
            "Keep mine as a new version",
            key="ws_keep_version",
            icon=":material/bookmark_add:",
            on_click=_keep_as_version,
            args=(doc, c.model_id),
        )
        cols[2].button(
            "Keep mine as a new model",
            key="ws_keep_model",
            icon=":material/content_copy:",
            on_click=_keep_as_model,
            args=(doc, c.name),
        )
    elif b.error:
        st.caption(f":orange[:material/cloud_off: not saved: {b.error}]")
