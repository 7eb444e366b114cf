"""Notes and errors of one import, located at the line being evaluated."""

from __future__ import annotations

from ...errors import GraphImportError
from ..common import ImportNote


class Diagnostics:
    """The notes of one import and the line the evaluator is at (the default place of a note or error)."""

    def __init__(self) -> None:
        self.notes: list[ImportNote] = []
        self.line = 0

    def note(self, message: str, line: int | None = -1) -> None:
        """Record a warning at ``line`` (default: the current line; None: about the whole file)."""
        self.notes.append(ImportNote(message, self.line if line == -1 else line))

    def fail(self, message: str, line: int | None = None) -> GraphImportError:
        """The error to raise, at ``line`` (default: the current line)."""
        return GraphImportError(message, self.line if line is None else line)

    def unique_notes(self) -> tuple[ImportNote, ...]:
        return tuple(dict.fromkeys(self.notes))
