"""Open and save: graph JSON download, uploads of graph JSON (and, through
``builder.importers`` when it is present, Python source and ``.keras`` files). A failed
upload leaves the graph untouched and says what was wrong. Nothing uploaded is executed."""

from __future__ import annotations

import importlib
import importlib.util
import os
from typing import Any

import streamlit as st

from builder.core.graph import Graph, loads
from builder.errors import GraphFormatError

from .document import Document
from .state import load_graph, recent, switch_to

MAX_UPLOAD_BYTES = 50 * 2**20  # keep in step with server.maxUploadSize in .streamlit/config.toml
UPLOAD_KEY = "kgb_upload"


class UploadError(ValueError):
    pass


def _importers() -> Any:
    if importlib.util.find_spec("builder.importers") is None:
        return None
    return importlib.import_module("builder.importers")


def accepted_types() -> list[str]:
    return ["json", "py", "keras"] if _importers() is not None else ["json"]


def read_upload(name: str, data: bytes, limit: int = MAX_UPLOAD_BYTES) -> tuple[Graph, list[str]]:
    """The graph in an uploaded file and notes about the import (dropped arguments...).

    Raises :class:`UploadError` with a one-line reason. Python is parsed, never executed;
    of a ``.keras`` file only the config is read.
    """
    if len(data) > limit:
        raise UploadError(f"{name} is {len(data):,} bytes; uploads are limited to {limit:,} bytes")
    suffix = os.path.splitext(name)[1].lower()
    mod = _importers()
    if mod is None:
        if suffix != ".json":
            raise UploadError(f"{name}: this build opens graph JSON files only (builder.importers is missing)")
        try:
            return loads(data), []
        except GraphFormatError as exc:
            raise UploadError(f"{name} is not a graph document: {exc}") from None
    if suffix not in {".json", ".py", ".keras"}:
        raise UploadError(f"{name}: unsupported file type {suffix or '(none)'}; use .json, .py or .keras")
    try:
        result = mod.import_bytes(data, name)
    except (mod.GraphImportError, GraphFormatError) as exc:
        raise UploadError(f"{name}: {exc}") from None
    except Exception as exc:  # an importer bug must not take the page down; the graph stays as it is
        raise UploadError(f"{name} could not be imported ({type(exc).__name__}: {exc})") from None
    return result.graph, list(result.warnings)


def open_upload(doc: Document, name: str, data: bytes) -> bool:
    try:
        with st.spinner(f"Reading {name}…"):
            graph, notes = read_upload(name, data)
    except UploadError as exc:
        doc.message = ("error", f"Upload refused, the graph is unchanged: {exc}")
        return False
    opened = load_graph(doc, graph, f"open {name}")
    text = f"Opened {name}: {len(graph.nodes)} nodes."
    if notes:
        text += " Notes: " + "; ".join(notes[:5]) + (" …" if len(notes) > 5 else "")
    if opened is not doc:
        text += f" The previous model, “{doc.graph.name or 'model'}”, is under Recent documents."
    opened.message = ("warning" if notes else "success", text)
    return True


def _uploader_key() -> str:
    return f"{UPLOAD_KEY}:{st.session_state.get(UPLOAD_KEY + '_n', 0)}"


def _on_upload(doc: Document) -> None:
    f = st.session_state.get(_uploader_key())
    if f is None:
        return
    open_upload(doc, f.name, f.getvalue())
    # A fresh, empty uploader: it never shows a refused file as if accepted, and it can never
    # send the same file again by itself (the message says what was opened or refused).
    st.session_state[UPLOAD_KEY + "_n"] = st.session_state.get(UPLOAD_KEY + "_n", 0) + 1


def file_stem(name: str) -> str:
    stem = "".join(c if c.isalnum() or c in "-_" else "_" for c in name).strip("_")
    return stem or "model"


def render(doc: Document) -> None:
    st.markdown("#### File")
    st.download_button(
        "Download graph JSON",
        data=doc.graph.to_json,  # deferred: serialised only when clicked
        file_name=f"{file_stem(doc.graph.name)}.json",
        mime="application/json",
        icon=":material/download:",
        width="stretch",
        key="download_json",
    )
    st.file_uploader(
        "Open a graph (" + ", ".join("." + t for t in accepted_types()) + ")",
        type=accepted_types(),
        key=_uploader_key(),
        on_change=_on_upload,
        args=(doc,),
        help="Uploaded files are read, never executed. A file that cannot be read leaves the canvas as it is. "
        "Over a model with nodes a file opens as a new document (the previous one stays under Recent documents).",
    )
    docs = recent()
    if docs:
        st.markdown("#### Recent documents")
        for i, d in enumerate(docs):
            st.button(
                f"{d.graph.name or 'model'} · {len(d.graph.nodes)} nodes",
                key=f"recent:{i}:{d.doc_id}",
                icon=":material/history:",
                on_click=switch_to,
                args=(d,),
                width="stretch",
                help="Open this document again (with its undo history); the open one joins this list.",
            )
