"""The open document of one browser session: the graph, undo/redo history, selection,
its validation report (computed once per graph) and a file store that keeps the current graph
across browser refreshes. Pure Python (no Streamlit), so it is unit-tested directly.
"""

from __future__ import annotations

import os
import re
import secrets
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from builder.core.graph import Graph, loads
from builder.core.validate import Report, validate
from builder.errors import GraphFormatError

HISTORY_LIMIT = 100
_DOC_ID = re.compile(r"^[0-9a-f]{16}$")


@dataclass
class Document:
    graph: Graph = field(default_factory=Graph)
    doc_id: str = field(default_factory=lambda: secrets.token_hex(8))
    past: list[tuple[Graph, str]] = field(default_factory=list)  # (graph before, label of the edit)
    future: list[tuple[Graph, str]] = field(default_factory=list)
    selected: str | None = None
    rev: int = 0  # bumped on every change of the graph; widget keys carry it
    # The last message, (kind, text) with kind "success" / "info" / "warning" / "error": see
    # ``message``. It stays until dismissed, replaced, or the user's next edit of the graph.
    _note: tuple[str, str] | None = None
    _note_rev: int = -1  # the rev it was given at
    toasted: bool = False  # a success/info message is a toast, shown once
    fit_view: bool = True  # ask the canvas to fit the whole graph in view at its next update
    jumped: int = 0  # the rev of the last undo/redo: widgets drawn before it show another graph
    _report: tuple[Graph, Report] | None = None
    # called after every change of the graph (ui/workspace.py saves it there); None: not saved
    on_change: Callable[[Document], None] | None = field(default=None, repr=False, compare=False)

    # ------------------------------------------------------------------ reading
    @property
    def report(self) -> Report:
        if self._report is None or self._report[0] is not self.graph:
            self._report = (self.graph, validate(self.graph))
        return self._report[1]

    @property
    def message(self) -> tuple[str, str] | None:
        """The message to show: set at some rev, it lasts until the graph changes again."""
        return self._note if self._note is not None and self._note_rev == self.rev else None

    @message.setter
    def message(self, value: tuple[str, str] | None) -> None:
        self._note, self._note_rev, self.toasted = value, self.rev, False

    @property
    def can_undo(self) -> bool:
        return bool(self.past)

    @property
    def can_redo(self) -> bool:
        return bool(self.future)

    # ------------------------------------------------------------------ editing
    def apply(self, graph: Graph, label: str) -> bool:
        """Make ``graph`` the current graph as one undoable step. False when nothing changed."""
        if graph == self.graph:
            return False
        self.past.append((self.graph, label))
        del self.past[:-HISTORY_LIMIT]
        self.future.clear()
        self._set(graph)
        return True

    def undo(self) -> str | None:
        if not self.past:
            return None
        graph, label = self.past.pop()
        self.future.append((self.graph, label))
        self._set(graph)
        self.jumped = self.rev
        return label

    def redo(self) -> str | None:
        if not self.future:
            return None
        graph, label = self.future.pop()
        self.past.append((self.graph, label))
        self._set(graph)
        self.jumped = self.rev
        return label

    def _set(self, graph: Graph) -> None:
        self.graph = graph
        self.rev += 1
        if self.selected is not None and self.selected not in graph.node_by_id:
            self.selected = None
        if self.on_change is not None:
            self.on_change(self)

    def select(self, node_id: str | None) -> None:
        self.selected = node_id if node_id in self.graph.node_by_id else None


# ---------------------------------------------------------------------- file store


def store_dir() -> Path:
    """Where session documents live: ``$KGB_STATE_DIR`` or a folder in the temp directory."""
    return Path(os.environ.get("KGB_STATE_DIR") or Path(tempfile.gettempdir()) / "keras-graph-builder" / "sessions")


def valid_doc_id(doc_id: object) -> bool:
    return isinstance(doc_id, str) and bool(_DOC_ID.match(doc_id))


def store_save(doc_id: str, graph: Graph) -> None:
    """Write the graph atomically; a failure to write never breaks editing."""
    if not valid_doc_id(doc_id):
        return
    try:
        d = store_dir()
        d.mkdir(parents=True, exist_ok=True)
        tmp = d / f".{doc_id}.{secrets.token_hex(4)}.tmp"
        tmp.write_text(graph.to_json(indent=None), encoding="utf-8")
        os.replace(tmp, d / f"{doc_id}.json")
    except OSError:
        pass


def store_load(doc_id: str) -> Graph | None:
    if not valid_doc_id(doc_id):
        return None
    path = store_dir() / f"{doc_id}.json"
    try:
        return loads(path.read_bytes())
    except (OSError, GraphFormatError):
        return None
